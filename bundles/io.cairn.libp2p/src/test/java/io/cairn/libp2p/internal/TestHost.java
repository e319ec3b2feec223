package io.cairn.libp2p.internal;

import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import io.cairn.testing.Components;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * A real {@link HostComponent} built as DS would build it, with the given configuration (the rest from
 * the OCD's defaults), a fresh Ed25519 identity and, when asked, the real Noise and yamux components and
 * ping. WARN and ERROR lines land in {@link #log}.
 */
final class TestHost implements AutoCloseable {
  private static final AtomicLong SERVICE_IDS = new AtomicLong(1);
  final HostComponent host;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private TestHost(Map<String, Object> config, boolean secured) {
    Logger logger = Components.logger(log);
    NodeIdentity identity = identity();
    BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
        new Class<?>[] {BundleContext.class}, (p, m, a) -> null);
    NodeInfo info = new NodeInfo() {
      @Override public Path home() { return Path.of("."); }
      @Override public String version() { return "0.1.0"; }
      @Override public String commit() { return ""; }
    };
    host = new HostComponent(context, identity, info, logger, (HostConfig) Components.config(HostConfig.class, config));
    if (secured) {
      host.bindSecurity(Components.createWith(SecureTransport.class, "io.cairn.libp2p.noise.internal.NoiseTransport",
          Map.of(), identity, logger), props(SecureTransport.PROTOCOL, "/noise"));
      StreamMuxer yamux = Components.create(StreamMuxer.class, "io.cairn.libp2p.yamux.internal.YamuxMuxer", logger, Map.of());
      host.bindMuxer(yamux, props(StreamMuxer.PROTOCOL, yamux.protocolId()));
      host.bindHandler(new PingProtocol(), props(StreamHandler.PROTOCOL, PingProtocol.ID));
    }
  }

  /** A host that only listens: enough for addresses, not for a peer to finish a handshake. */
  static TestHost bare(Map<String, Object> config) {
    return new TestHost(config, false);
  }

  /** A host with Noise, yamux, identify and ping: a peer that dials and is dialled. */
  static TestHost peer(Map<String, Object> config) {
    return new TestHost(config, true);
  }

  private static Map<String, Object> props(String key, Object value) {
    return Map.of(key, value, "service.id", SERVICE_IDS.getAndIncrement());
  }

  private static NodeIdentity identity() {
    PrivateKey key = Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    return new NodeIdentity() {
      @Override public PeerId peerId() { return id; }
      @Override public PublicKey publicKey() { return key.publicKey(); }
      @Override public byte[] sign(byte[] message) { return key.sign(message); }
    };
  }

  @Override
  public void close() {
    host.deactivate();
  }
}
