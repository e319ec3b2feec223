package io.cairn.net.routing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.Host;
import io.cairn.libp2p.internal.StandaloneHost;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.net.BandwidthLimitException;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.ConnectionQuality;
import io.cairn.net.ErrorRateException;
import io.cairn.net.HighLatencyException;
import io.cairn.net.RouteException;
import io.cairn.testing.Components;
import io.cairn.testing.net.FaultProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QualityRouteOptimizerTest {
  private static RoutingConfig config(Map<String, Object> values) {
    return (RoutingConfig) Components.config(RoutingConfig.class, values);
  }

  /** Real hosts, one peer behind the fault proxy: when its path turns slow the probes see it within a second or two. */
  @Test
  void aPeerWhosePathSlowsDownIsBypassedAndItsWantsMoveToTheOther() throws Exception {
    try (StandaloneHost fast = StandaloneHost.loopback(); StandaloneHost slow = StandaloneHost.loopback();
        StandaloneHost client = StandaloneHost.loopback();
        FaultProxy proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1",
            slow.host().listenAddresses().get(0).tcpPort().orElseThrow()))) {
      Host host = client.host();
      ConnectionQualities qualities = Components.createWith(ConnectionQualities.class,
          "io.cairn.net.quality.internal.QualityTracker", Map.of(), host, Components.logger());
      QualityRouteOptimizer optimizer = new QualityRouteOptimizer(host, qualities, Components.logger(),
          config(Map.of("probeIntervalMillis", 100)));
      try {
        PeerId a = fast.host().peerId();
        PeerId b = slow.host().peerId();
        host.connect(fast.host().listenAddresses().get(0).withPeerId(a)).get(30, TimeUnit.SECONDS);
        host.connect(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + proxy.port() + "/p2p/" + b)).get(30, TimeUnit.SECONDS);
        waitFor(() -> optimizer.assess(a).isEmpty() && optimizer.assess(b).isEmpty(),
            () -> "both within the thresholds: " + optimizer.assess(a) + " " + optimizer.assess(b));
        assertEquals(List.of(b, a), optimizer.rank(List.of(b, a)), "within the thresholds the client's order stays");
        assertEquals(Optional.empty(), optimizer.moveFrom(b, TimeUnit.SECONDS.toNanos(1), List.of(a)));

        proxy.both(d -> d.delay(Duration.ofMillis(150)));
        long slowedAt = System.nanoTime();
        waitFor(() -> optimizer.assess(b).isPresent(), "the slow path seen");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slowedAt);
        assertTrue(ms < 3_000, "seen after " + ms + " ms");
        RouteException why = optimizer.assess(b).orElseThrow();
        assertInstanceOf(HighLatencyException.class, why);
        assertEquals(b, why.peer());
        assertEquals(List.of(a, b), optimizer.rank(List.of(b, a)));
        assertEquals(Optional.empty(), optimizer.moveFrom(b, TimeUnit.MILLISECONDS.toNanos(100), List.of(a)), "too soon to move");
        assertEquals(Optional.of(a), optimizer.moveFrom(b, TimeUnit.SECONDS.toNanos(1), List.of(a)));
        assertEquals(Optional.empty(), optimizer.moveFrom(a, TimeUnit.SECONDS.toNanos(1), List.of(b)), "the fast peer keeps its wants");
        assertTrue(qualities.connectionQuality(b).orElseThrow().latency().isPresent(), "the probes reach connection quality");

        proxy.both(d -> d.delay(Duration.ZERO));
        waitFor(() -> optimizer.assess(b).isEmpty(), "the path recovered: trusted again");
      } finally {
        optimizer.deactivate();
        Components.deactivate(qualities);
      }
    }
  }

  /** The error and bandwidth rules, on the qualities a tracker reports (no host needed: nothing to probe). */
  @Test
  void failingPeersAndPeersSlowWhileAskedAreBypassed() throws Exception {
    PeerId failing = PeerId.parse("12D3KooWKSWTH6zMupQYowMe2coze3Texhbd8Vrgc3n9rsWny1ox");
    PeerId trickling = PeerId.parse("12D3KooWQ7hDyXhoyvGrS9YM3nmf5cdCtw9jXMmCuYSXxNUZoESc");
    Map<PeerId, ConnectionQuality> reported = new ConcurrentHashMap<>();
    reported.put(failing, new ConnectionQuality(failing, Optional.empty(), 10_000_000, 0, 0.5, 10, Instant.EPOCH));
    reported.put(trickling, new ConnectionQuality(trickling, Optional.empty(), 500_000, 0, 0, 100, Instant.EPOCH));
    ConnectionQualities qualities = new ConnectionQualities() {
      @Override
      public Optional<ConnectionQuality> connectionQuality(PeerId peer) {
        return Optional.ofNullable(reported.get(peer));
      }

      @Override
      public List<ConnectionQuality> all() {
        return List.copyOf(reported.values());
      }

      @Override
      public void succeeded(PeerId peer) {}

      @Override
      public void failed(PeerId peer, Failure failure) {}

      @Override
      public void measured(PeerId peer, Duration roundTrip) {}
    };
    AtomicLong now = new AtomicLong(1_000_000_000_000L);
    try (StandaloneHost host = StandaloneHost.loopback()) {
      QualityRouteOptimizer optimizer = new QualityRouteOptimizer(host.host(), qualities, Components.logger(),
          config(Map.of()), now::get);
      try {
        assertTrue(optimizer.assess(failing).isEmpty(), "50% errors, but only 10 requests back it");
        reported.put(failing, new ConnectionQuality(failing, Optional.empty(), 10_000_000, 0, 0.5, 20, Instant.EPOCH));
        assertInstanceOf(ErrorRateException.class, optimizer.assess(failing).orElseThrow());

        assertTrue(optimizer.assess(trickling).isEmpty(), "500 kB/s, but not asked for anything: idle, not slow");
        optimizer.moveFrom(trickling, 0, List.of(failing)); // it has a want waiting now
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        optimizer.moveFrom(trickling, TimeUnit.SECONDS.toNanos(1), List.of(failing));
        assertTrue(optimizer.assess(trickling).isEmpty(), "busy for a second: its rate not judged yet");
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        optimizer.moveFrom(trickling, TimeUnit.SECONDS.toNanos(2), List.of(failing));
        assertInstanceOf(BandwidthLimitException.class, optimizer.assess(trickling).orElseThrow());
        assertEquals(Optional.empty(), optimizer.moveFrom(trickling, TimeUnit.SECONDS.toNanos(2), List.of(failing)),
            "no better peer to move to");
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertTrue(optimizer.assess(trickling).isEmpty(), "not asked for 3 s: idle again");
      } finally {
        optimizer.deactivate();
      }
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    waitFor(condition, () -> what);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      Thread.sleep(20);
    }
  }
}
