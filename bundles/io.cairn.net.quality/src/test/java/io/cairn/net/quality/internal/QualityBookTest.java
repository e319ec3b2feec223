package io.cairn.net.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQuality;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QualityBookTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final Instant WALL = Instant.parse("2026-12-08T00:00:00Z");

  private final AtomicLong now = new AtomicLong(5_000 * SECOND);
  private final QualityBook book = new QualityBook(new QualitySettings(0.1, 60 * SECOND), now::get,
      Clock.fixed(WALL, ZoneOffset.UTC));
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

  private ConnectionQuality quality() {
    return book.quality(peer).orElseThrow();
  }

  @Test
  void onlyConnectedPeersAreTracked() {
    book.roundTrip(peer, Duration.ofMillis(10));
    book.outcome(peer, true);
    assertTrue(book.quality(peer).isEmpty(), "not connected: nothing kept");
    book.connected(peer);
    ConnectionQuality fresh = quality();
    assertTrue(fresh.latency().isEmpty());
    assertEquals(0, fresh.errorRate());
    assertEquals(0, fresh.requests());
    assertEquals(WALL, fresh.lastSeen());
    book.disconnected(peer);
    assertTrue(book.quality(peer).isEmpty());
  }

  /** As go-libp2p's peerstore latency: the first measurement as it is, then a moving average weighing each new one 0.1. */
  @Test
  void latencyIsAMovingAverageOfRoundTrips() {
    book.connected(peer);
    book.roundTrip(peer, Duration.ofMillis(100));
    assertEquals(Duration.ofMillis(100), quality().latency().orElseThrow());
    book.roundTrip(peer, Duration.ofMillis(200));
    assertEquals(Duration.ofMillis(110), quality().latency().orElseThrow());
    // The muxer's value is sampled every second: the same value twice is one measurement.
    book.muxerRoundTrip(peer, Duration.ofMillis(210));
    book.muxerRoundTrip(peer, Duration.ofMillis(210));
    assertEquals(Duration.ofMillis(120), quality().latency().orElseThrow());
  }

  @Test
  void theErrorRateFollowsRecentRequestsAndForgetsOldOnes() {
    book.connected(peer);
    for (int i = 0; i < 90; i++) {
      book.outcome(peer, false);
    }
    for (int i = 0; i < 10; i++) {
      book.outcome(peer, true);
    }
    assertEquals(0.10, quality().errorRate(), 1e-9);
    assertEquals(100, quality().requests(), 1e-9);
    // One half-life later the old requests weigh half: the rate is the same, the weight halved.
    now.addAndGet(60 * SECOND);
    assertEquals(0.10, quality().errorRate(), 1e-9);
    assertEquals(50, quality().requests(), 1e-9);
    // The peer turns bad: 50 failures now outweigh the 45 old successes.
    for (int i = 0; i < 50; i++) {
      book.outcome(peer, true);
    }
    assertEquals((5 + 50) / 100.0, quality().errorRate(), 1e-9);
  }

  @Test
  void lastSeenIsTheLastByteOrAnswer() {
    book.connected(peer);
    now.addAndGet(30 * SECOND);
    book.traffic(peer, 1000, 10, 0);
    assertEquals(WALL.minusSeconds(30), quality().lastSeen(), "no byte received: not seen");
    assertEquals(1000, quality().bandwidthIn());
    book.traffic(peer, 1000, 10, 4096);
    assertEquals(WALL, quality().lastSeen());
    now.addAndGet(5 * SECOND);
    book.outcome(peer, true);
    assertEquals(WALL.minusSeconds(5), quality().lastSeen(), "a failure is not a sign of life");
    book.outcome(peer, false);
    assertEquals(WALL, quality().lastSeen());
  }
}
