package io.cairn.itests;

import io.cairn.libp2p.Host;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import io.cairn.testing.Components;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/**
 * A real libp2p host (TCP, multistream-select, Noise, yamux, identify) made in this JVM from the
 * platform's own bundles' classes, as DS wires them, without OSGi: for tests that need several hosts
 * at once. It listens on 127.0.0.1 on a free port; WARN and ERROR log lines are kept in
 * {@link #problems}.
 */
final class InJvmHost implements AutoCloseable {
  private static final AtomicLong SERVICE_IDS = new AtomicLong(1);
  /** -Dcairn.stress.verbose=true: every log line of every host on stdout. */
  private static final boolean VERBOSE = Boolean.getBoolean("cairn.stress.verbose");

  final Host host;
  final List<String> problems = new CopyOnWriteArrayList<>();
  private final Object component;

  private InJvmHost(int ioThreads) {
    Logger log = logger(problems);
    NodeIdentity identity = newIdentity();
    BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
        new Class<?>[] {BundleContext.class}, (p, m, a) -> null);
    NodeInfo info = new NodeInfo() {
      @Override public Path home() { return Path.of("."); }
      @Override public String version() { return "0.1.0"; }
      @Override public String commit() { return ""; }
    };
    this.host = Components.createWith(Host.class, "io.cairn.libp2p.internal.HostComponent",
        Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"}, "ioThreads", ioThreads),
        context, identity, info, log);
    this.component = host;
    SecureTransport noise = Components.createWith(SecureTransport.class, "io.cairn.libp2p.noise.internal.NoiseTransport",
        Map.of(), identity, log);
    StreamMuxer yamux = Components.create(StreamMuxer.class, "io.cairn.libp2p.yamux.internal.YamuxMuxer", log, Map.of());
    Components.call(component, "bindSecurity", noise, props(SecureTransport.PROTOCOL, noise.protocolId()));
    Components.call(component, "bindMuxer", yamux, props(StreamMuxer.PROTOCOL, yamux.protocolId()));
    // Ping as the platform serves it: js-libp2p's connection monitor pings every connection.
    try {
      StreamHandler ping = (StreamHandler) Class.forName("io.cairn.libp2p.internal.PingProtocol").getConstructor().newInstance();
      serve("/ipfs/ping/1.0.0", ping);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make the ping protocol", e);
    }
  }

  /** A host with {@code ioThreads} event loop threads. */
  static InJvmHost start(int ioThreads) {
    return new InJvmHost(ioThreads);
  }

  void serve(String protocol, StreamHandler handler) {
    Components.call(component, "bindHandler", handler, props(StreamHandler.PROTOCOL, protocol));
  }

  /** Our first listen address with /p2p/. */
  Multiaddr address() {
    return host.listenAddresses().get(0).withPeerId(host.peerId());
  }

  /**
   * The muxer's state on every connection, read by reflection on the event loop (for a failed stress
   * round: which streams wait for window, for the connection, or hold unread or unsent data).
   */
  String describeSessions() {
    StringBuilder out = new StringBuilder();
    for (io.cairn.libp2p.Connection c : host.connections()) {
      io.netty.channel.Channel channel = (io.netty.channel.Channel) Components.call(c, "channel");
      try {
        out.append(channel.eventLoop().submit(() -> describe(channel)).get(5, java.util.concurrent.TimeUnit.SECONDS));
      } catch (Exception e) {
        out.append(channel).append(": ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  private static String describe(io.netty.channel.Channel channel) throws ReflectiveOperationException {
    Object session = channel.pipeline().get("yamux");
    io.netty.channel.ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
    StringBuilder out = new StringBuilder(channel + " writable=" + channel.isWritable() + " pendingBytes="
        + (pending == null ? "-" : pending.totalPendingWriteBytes()) + "\n");
    if (session == null) {
      return out.append("  no yamux session\n").toString();
    }
    for (String f : List.of("ended", "goAwayReceived", "outboundUnacked", "inboundUnacked", "blockedWriters",
        "windowUpdatesOwed", "resetsOwed", "pingOutstanding", "batchDepth", "flushPending")) {
      out.append("  ").append(f).append('=').append(field(session, f)).append('\n');
    }
    io.netty.util.collection.IntObjectMap<?> streams = (io.netty.util.collection.IntObjectMap<?>) field(session, "streams");
    for (Object stream : streams.values()) {
      io.netty.channel.Channel s = (io.netty.channel.Channel) stream;
      io.netty.channel.ChannelOutboundBuffer buffer = s.unsafe().outboundBuffer();
      out.append("  stream ").append(field(stream, "id")).append(" open=").append(field(stream, "open"))
          .append(" sendWindow=").append(field(stream, "sendWindow"))
          .append(" receiveCredit=").append(field(stream, "receiveCredit"))
          .append(" consumed=").append(field(stream, "consumedBytes"))
          .append(" unread=").append(((java.util.Collection<?>) field(stream, "unread")).size())
          .append(" unsent=").append(buffer == null ? "-" : buffer.totalPendingWriteBytes())
          .append(" finSent=").append(field(stream, "finSent")).append(" remoteFin=").append(field(stream, "remoteFin"))
          .append(" ackOwed=").append(field(stream, "ackOwed")).append(" awaitingAck=").append(field(stream, "awaitingAck"))
          .append(" handlers=").append(s.pipeline().names()).append('\n');
    }
    return out.toString();
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    java.lang.reflect.Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }

  @Override
  public void close() {
    Components.deactivate(component);
  }

  private static Map<String, Object> props(String key, Object value) {
    return Map.of(key, value, "service.id", SERVICE_IDS.getAndIncrement());
  }

  /** Keeps WARN and ERROR lines, with the stack trace of a throwable argument (Components.logger drops it). */
  private static Logger logger(List<String> lines) {
    Logger plain = Components.logger(lines);
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      Object result = m.invoke(plain, a);
      if (VERBOSE && a != null && a.length > 0 && a[0] instanceof String format) {
        System.out.println(m.getName().toUpperCase() + " " + format + " " + java.util.Arrays.deepToString(
            java.util.Arrays.copyOfRange(a, 1, a.length)));
      }
      if ((m.getName().equals("warn") || m.getName().equals("error")) && a != null) {
        Object last = a[a.length - 1] instanceof Object[] varargs && varargs.length > 0 ? varargs[varargs.length - 1] : a[a.length - 1];
        if (last instanceof Throwable t) {
          java.io.StringWriter trace = new java.io.StringWriter();
          t.printStackTrace(new java.io.PrintWriter(trace));
          lines.add(trace.toString());
        }
      }
      return result;
    });
  }

  private static NodeIdentity newIdentity() {
    PrivateKey key = Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    return new NodeIdentity() {
      @Override public PeerId peerId() { return id; }
      @Override public PublicKey publicKey() { return key.publicKey(); }
      @Override public byte[] sign(byte[] message) { return key.sign(message); }
    };
  }
}
