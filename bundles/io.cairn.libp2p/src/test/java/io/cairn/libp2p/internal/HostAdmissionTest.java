package io.cairn.libp2p.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.libp2p.Connection;
import io.cairn.libp2p.InboundGate;
import io.cairn.multiformats.Multiaddr;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One address holds 2,000 idle TCP connections to the host, opening a new one whenever one is closed, while
 * real peers dial from another address. Before per-source admission the flood took the whole shared pool
 * of pending upgrades and every real dial failed.
 */
class HostAdmissionTest {
  private static final int FLOOD = 2000;
  private static final int DIALS = 20;

  /** Idle connections from {@code source} to {@code target}, each closed one replaced by a new one. */
  private static final class IdleFlood implements AutoCloseable {
    final AtomicLong opened = new AtomicLong();
    final AtomicLong closedByServer = new AtomicLong();
    final AtomicInteger open = new AtomicInteger();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final InetSocketAddress source;
    private final InetSocketAddress target;
    private volatile boolean running = true;

    IdleFlood(InetSocketAddress source, InetSocketAddress target) {
      this.source = source;
      this.target = target;
    }

    void start(int count) {
      for (int i = 0; i < count; i++) {
        connect();
      }
    }

    private void connect() {
      if (!running) {
        return;
      }
      new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
          .handler(new Idle())
          .localAddress(source)
          .connect(target)
          .addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
              opened.incrementAndGet();
              open.incrementAndGet();
            } else if (running) {
              // A refused or timed-out connect (the backlog overflowed): try again shortly, not in a spin.
              group.schedule(this::connect, 10, TimeUnit.MILLISECONDS);
            }
          });
    }

    /** Reads and drops what the host sends (its multistream header); sends nothing; reopens when closed. */
    @ChannelHandler.Sharable
    private final class Idle extends SimpleChannelInboundHandler<ByteBuf> {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {}

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        if (running) {
          closedByServer.incrementAndGet();
          connect();
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the host: counted and replaced as a close
      }
    }

    @Override
    public void close() {
      running = false;
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static boolean canBind(String address) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void await(String what, Duration limit, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void deactivationAndTheMetricsUnbindThatFollowsItRemoveEachGaugeOnce() {
    Map<String, Integer> removed = new java.util.HashMap<>();
    MetricRegistry registry = new MetricRegistry() {
      @Override
      public boolean remove(String name) {
        removed.merge(name, 1, Integer::sum);
        return super.remove(name);
      }
    };
    TestHost server = TestHost.bare(Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"}));
    server.host.bindMetrics(registry);
    removed.clear(); // registering removes a gauge a previous host may have left
    assertTrue(!registry.getGauges().isEmpty());
    server.close(); // SCR: deactivate, then unbind the dynamic references
    server.host.unbindMetrics(registry);
    assertTrue(registry.getGauges().isEmpty(), registry.getGauges().keySet().toString());
    assertTrue(!removed.isEmpty() && removed.values().stream().allMatch(n -> n == 1), "each gauge removed once: " + removed);
  }

  @Test
  void twoThousandIdleConnectionsFromOneAddressLockNoOtherPeerOut() throws Exception {
    assumeTrue(canBind("127.0.0.2"), "this machine does not route 127.0.0.2 to loopback");
    Map<String, Object> loopback = Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"});
    try (TestHost server = TestHost.peer(loopback); TestHost client = TestHost.peer(loopback)) {
      MetricRegistry registry = new MetricRegistry();
      server.host.bindMetrics(registry);
      Multiaddr serverAddress = server.host.listenAddresses().get(0);
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", serverAddress.tcpPort().orElseThrow());
      long started = System.nanoTime();
      try (IdleFlood flood = new IdleFlood(new InetSocketAddress("127.0.0.2", 0), target)) {
        flood.start(FLOOD);
        await("the flood to open " + FLOOD + " connections", Duration.ofSeconds(60), () -> flood.opened.get() >= FLOOD);

        for (int i = 0; i < DIALS; i++) {
          Connection c = client.host.connect(serverAddress).get(30, TimeUnit.SECONDS);
          assertEquals(server.host.peerId(), c.remotePeer());
          client.host.ping(server.host.peerId()).get(30, TimeUnit.SECONDS);
          c.close().get(30, TimeUnit.SECONDS);
        }
        assertTrue(flood.closedByServer.get() > 0, "the flood was refused and kept coming back");
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

      long refusedPerIp = server.host.blocked.get(Admission.Limit.MAX_PENDING_UPGRADES_PER_IP).sum();
      assertTrue(refusedPerIp > 0, "the flood met its per-IP share");
      Gauge<?> counted = registry.getGauges().get(AdmissionMetrics.blockedName(Admission.Limit.MAX_PENDING_UPGRADES_PER_IP));
      assertTrue(((Number) counted.getValue()).longValue() >= refusedPerIp, "and Prometheus counts it");
      List<String> warned = server.log.stream().filter(l -> l.startsWith("WARN refused") && l.contains("127.0.0.2")).toList();
      assertTrue(!warned.isEmpty() && warned.size() <= 2 + seconds / 10,
          warned.size() + " WARN lines in " + seconds + " s for " + refusedPerIp + " refusals: " + warned);
      assertTrue(warned.get(0).contains("maxPendingUpgradesPerIp"), warned.get(0));
    }
  }

  /** An inbound gate refuses before a byte is read, and is counted and logged under its own reason; a gate that throws lets the connection in. */
  @Test
  void anInboundGateRefusesAtAcceptAndABrokenOneLetsIn() throws Exception {
    Map<String, Object> loopback = Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"});
    try (TestHost server = TestHost.peer(loopback); TestHost client = TestHost.peer(loopback)) {
      Multiaddr serverAddress = server.host.listenAddresses().get(0);
      InboundGate closed = remote -> java.util.Optional.of("at the test's ceiling (testCeiling)");
      server.host.bindGate(closed);
      try (Socket refused = new Socket("127.0.0.1", serverAddress.tcpPort().orElseThrow())) {
        refused.setSoTimeout(10_000);
        assertEquals(-1, refused.getInputStream().read(), "closed before the multistream header");
      }
      assertEquals(1, server.host.blocked.get(Admission.Limit.INBOUND_GATE).sum());
      assertTrue(server.log.stream().anyMatch(l -> l.startsWith("WARN refused") && l.contains("testCeiling")), server.log.toString());
      server.host.unbindGate(closed);
      server.host.bindGate(remote -> {
        throw new IllegalStateException("broken gate");
      });
      Connection c = client.host.connect(serverAddress).get(30, TimeUnit.SECONDS);
      assertEquals(server.host.peerId(), c.remotePeer());
    }
  }

  /** The per-IP share applies to loopback too, yet leaves a local peer its own few dials at once. */
  @Test
  void aLocalPeerStillGetsItsShareOfPendingUpgrades() throws Exception {
    try (TestHost server = TestHost.peer(Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"}))) {
      int port = server.host.listenAddresses().get(0).tcpPort().orElseThrow();
      Socket[] idle = new Socket[8];
      try {
        for (int i = 0; i < idle.length; i++) {
          idle[i] = new Socket("127.0.0.1", port);
        }
        await("8 pending upgrades", Duration.ofSeconds(10), () -> server.host.admission().pending() == 8);
        try (Socket ninth = new Socket("127.0.0.1", port)) {
          ninth.setSoTimeout(10_000);
          // The host closes it before sending its multistream header: end of stream, nothing read.
          assertEquals(-1, ninth.getInputStream().read());
        }
        assertEquals(1, server.host.blocked.get(Admission.Limit.MAX_PENDING_UPGRADES_PER_IP).sum());
      } finally {
        for (Socket s : idle) {
          if (s != null) {
            s.close();
          }
        }
      }
      await("the pending places back", Duration.ofSeconds(10), () -> server.host.admission().pending() == 0);
    }
  }

  /**
   * Refusals of sources that each use a new address are logged like those of one source: a line per limit
   * per interval, naming the latest, not a line per address (the defect: 1,025 lines per 10 s for an
   * attacker rotating addresses).
   */
  @Test
  void refusalsFromManyAddressesWriteOneLinePerInterval() throws Exception {
    assumeTrue(canBind("127.0.3.1"), "this machine does not route 127.0.3.1 to loopback");
    try (TestHost server = TestHost.peer(Map.of("listenAddresses", new String[] {"/ip4/127.0.0.1/tcp/0"},
        "maxPendingUpgradesPerIp", 1, "maxPendingUpgradesPerSubnet", 1000, "refusalLogIntervalSeconds", 3600))) {
      int port = server.host.listenAddresses().get(0).tcpPort().orElseThrow();
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 1; i <= 64; i++) {
          InetAddress source = InetAddress.getByName("127.0.3." + i);
          held.add(connectFrom(source, port)); // its one pending place
          await("127.0.3." + i + " pending", Duration.ofSeconds(10), () -> server.host.admission().pending() == held.size());
          try (Socket refused = connectFrom(source, port)) {
            refused.setSoTimeout(10_000);
            assertEquals(-1, refused.getInputStream().read(), "closed at accept");
          }
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      assertEquals(64, server.host.blocked.get(Admission.Limit.MAX_PENDING_UPGRADES_PER_IP).sum());
      List<String> warned = server.log.stream().filter(l -> l.startsWith("WARN refused")).toList();
      assertEquals(List.of("WARN refused an inbound connection from 127.0.3.1: 1 upgrades pending from 127.0.3.1/32"
          + " (maxPendingUpgradesPerIp)"), warned);
    }
  }

  private static Socket connectFrom(InetAddress source, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port));
    return s;
  }
}
