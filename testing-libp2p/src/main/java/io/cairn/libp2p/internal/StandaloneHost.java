package io.cairn.libp2p.internal;

import io.cairn.libp2p.Host;
import io.cairn.libp2p.InboundGate;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.TrafficObserver;
import io.cairn.libp2p.noise.internal.StandaloneNoise;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.libp2p.yamux.internal.StandaloneYamux;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import io.cairn.node.config.Configs;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * A libp2p host assembled by hand outside OSGi, for load tools and for tests of the bundles that use the
 * host: the same components DS wires in the platform (host, Noise, yamux, identify, ping), with their
 * metatype defaults, but for per-source admission shares lifted (a load tool or a test dials from one
 * address, many at once).
 */
public final class StandaloneHost implements AutoCloseable {
  public final HostComponent host;
  private static long nextServiceId = 1;

  private StandaloneHost(HostComponent host) {
    this.host = host;
  }

  /** A loopback host with a fresh identity, Noise and yamux at their defaults, two I/O threads. */
  public static StandaloneHost loopback() {
    return start("/ip4/127.0.0.1/tcp/0", StandaloneNoise::create, StandaloneYamux.create(silentLogger()), 2, 8);
  }

  /** A host listening on {@code listen} (e.g. /ip4/127.0.0.1/tcp/0) with a fresh identity. */
  public static StandaloneHost start(String listen, SecureTransportFactory security, StreamMuxer muxer, int ioThreads,
      int maxConnectionsPerPeer) {
    return start(listen, Keys.generateEd25519(), security, muxer, ioThreads, maxConnectionsPerPeer);
  }

  /** A host listening on {@code listen} whose identity is {@code key}. */
  public static StandaloneHost start(String listen, PrivateKey key, SecureTransportFactory security, StreamMuxer muxer,
      int ioThreads, int maxConnectionsPerPeer) {
    NodeIdentity identity = identity(key);
    Logger log = silentLogger();
    BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
        new Class<?>[] {BundleContext.class}, (p, m, a) -> m.getName().equals("getProperty")
            ? ("cairn.swarm.address".equals(a[0]) ? listen : null) : null);
    HostConfig config = withOverrides(Configs.defaults(HostConfig.class),
        // Load tools dial from one address, many at once: no per-source shares in the way.
        Map.of("ioThreads", ioThreads, "maxConnectionsPerPeer", maxConnectionsPerPeer, "maxPendingUpgrades", 100_000,
            "maxPendingUpgradesPerIp", 100_000, "maxPendingUpgradesPerSubnet", 100_000));
    NodeInfo info = new NodeInfo() {
      @Override public Path home() { return Path.of("."); }
      @Override public String version() { return "0.1.0"; }
      @Override public String commit() { return ""; }
    };
    HostComponent host = new HostComponent(context, identity, info, log, config);
    host.bindSecurity(security.create(identity, log), props(SecureTransport.PROTOCOL, "/noise"));
    host.bindMuxer(muxer, props(StreamMuxer.PROTOCOL, muxer.protocolId()));
    host.bindHandler(new PingProtocol(), props(StreamHandler.PROTOCOL, PingProtocol.ID));
    return new StandaloneHost(host);
  }

  /** How a security transport is made for an identity (Noise's component constructor). */
  @FunctionalInterface
  public interface SecureTransportFactory {
    SecureTransport create(NodeIdentity identity, Logger log);
  }

  /** Serves a stream protocol on this host. */
  public void serve(String protocol, StreamHandler handler) {
    host.bindHandler(handler, props(StreamHandler.PROTOCOL, protocol));
  }

  /** Serves several protocol ids with one handler (announced in identify, as the platform's whiteboard does). */
  public void serve(List<String> protocols, StreamHandler handler) {
    host.bindHandler(handler, props(StreamHandler.PROTOCOL, List.copyOf(protocols)));
  }

  /** Binds an inbound gate, as DS binds the whiteboard's. */
  public void gate(InboundGate gate) {
    host.bindGate(gate);
  }

  /** Binds a traffic observer, as DS binds the whiteboard's. */
  public void observe(TrafficObserver observer) {
    host.bindTrafficObserver(observer);
  }

  public Host host() {
    return host;
  }

  @Override
  public void close() {
    host.deactivate();
  }

  private static synchronized Map<String, Object> props(String key, Object value) {
    return Map.of(key, value, "service.id", nextServiceId++);
  }

  private static HostConfig withOverrides(HostConfig defaults, Map<String, Object> overrides) {
    return (HostConfig) Proxy.newProxyInstance(HostConfig.class.getClassLoader(), new Class<?>[] {HostConfig.class},
        (p, m, a) -> overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.invoke(defaults, a));
  }

  public static Logger silentLogger() {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (p, m, a) -> m.getReturnType() == boolean.class ? false : m.getReturnType() == String.class ? "bench" : null);
  }

  static NodeIdentity identity(PrivateKey key) {
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    return new NodeIdentity() {
      @Override public PeerId peerId() { return id; }
      @Override public PublicKey publicKey() { return key.publicKey(); }
      @Override public byte[] sign(byte[] message) { return key.sign(message); }
    };
  }
}
