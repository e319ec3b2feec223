package io.cairn.bitswap.adaptive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rules on a driven clock and a driven heap: nothing sleeps. */
class AdaptiveLimitsTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MIB = 1 << 20;
  private final AtomicLong now = new AtomicLong(1_000_000 * MS);
  private final AtomicLong heapUsed = new AtomicLong();
  private long heapMax = 4096 * MIB;
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

  private AdaptiveLimits limits(Map<String, Object> values) {
    return new AdaptiveLimits(Components.logger(),
        (AdaptiveLimitsConfig) Components.config(AdaptiveLimitsConfig.class, values), now::get, new AdaptiveLimits.Heap() {
          @Override
          public long used() {
            return heapUsed.get();
          }

          @Override
          public long max() {
            return heapMax;
          }
        });
  }

  /**
   * A path that delivers {@code bytesPerSecond} with {@code latencyMs} per message while the peer is
   * kept at its limit: each 10 ms, a message of the bytes the path moved completes; by Little's law the
   * bytes in flight are min(limit, rate × latency).
   */
  private void drive(AdaptiveLimits l, long bytesPerSecond, long latencyMs, int steps) {
    for (int i = 0; i < steps; i++) {
      now.addAndGet(10 * MS);
      long inFlight = Math.min(l.peerOutstandingBytes(peer), bytesPerSecond * latencyMs / 1000);
      // What completes in 10 ms when inFlight bytes each take latencyMs: inFlight × 10 / latency.
      long bytes = inFlight * 10 / latencyMs;
      l.sent(peer, bytes, latencyMs * MS, true);
    }
  }

  @Test
  void aPeersLimitGrowsTowardItsBandwidthDelayProduct() {
    AdaptiveLimits l = limits(Map.of());
    assertEquals(MIB, l.peerOutstandingBytes(peer), "boxo's 1 MiB before anything is measured");
    // 100 MB/s across 100 ms: 10 MB in flight fill the path.
    drive(l, 100_000_000, 100, 400);
    long limit = l.peerOutstandingBytes(peer);
    assertTrue(limit >= 10_000_000 && limit <= 20_000_000, "about 1-2x the BDP: " + limit);
  }

  /**
   * A path of {@code bytesPerSecond} across {@code rttMs} where a send completes as soon as it is written
   * to the local connection (1 ms): the path, not the sender, holds the bytes in flight, so each round
   * trip delivers at most the peer's limit. With {@code told}, the limits hear the measured round trip
   * before each completion, as from the engine.
   */
  private void driveWindowLimited(AdaptiveLimits l, long bytesPerSecond, long rttMs, int steps, boolean told) {
    for (int i = 0; i < steps; i++) {
      now.addAndGet(10 * MS);
      long inFlight = Math.min(l.peerOutstandingBytes(peer), bytesPerSecond * rttMs / 1000);
      if (told) {
        l.peerRtt(peer, rttMs * MS);
      }
      l.sent(peer, inFlight * 10 / rttMs, MS, true);
    }
  }

  @Test
  void aPeerWhoseSendsLeaveAtOnceReachesThePathsBandwidthDelayProductOnlyOnceItsRoundTripIsKnown() {
    AdaptiveLimits blind = limits(Map.of());
    driveWindowLimited(blind, 100_000_000, 100, 400, false);
    assertEquals(256 * 1024, blind.peerOutstandingBytes(peer), "1 ms sends alone: the floor, at 2.6 MB/s");
    AdaptiveLimits told = limits(Map.of());
    driveWindowLimited(told, 100_000_000, 100, 400, true);
    long limit = told.peerOutstandingBytes(peer);
    assertTrue(limit >= 10_000_000 && limit <= 20_000_000, "100 MB/s across 100 ms: 1-2x the 10 MB BDP: " + limit);
  }

  @Test
  void aPeerThatUsesLittleShrinksToTheMinimumAndNeverBelow() {
    AdaptiveLimits l = limits(Map.of());
    // 1 MB/s at 1 ms: 1 KB in flight.
    drive(l, 1_000_000, 1, 400);
    assertEquals(256 * 1024, l.peerOutstandingBytes(peer));
  }

  @Test
  void aPeerThatNeverReadsDoesNotGrowAndFailedSendsHalveIt() {
    AdaptiveLimits l = limits(Map.of());
    now.addAndGet(60_000 * MS);
    assertEquals(MIB, l.peerOutstandingBytes(peer), "no completion, no growth");
    l.sent(peer, 4096, 2000 * MS, false);
    assertEquals(MIB / 2, l.peerOutstandingBytes(peer));
    for (int i = 0; i < 10; i++) {
      l.sent(peer, 4096, 2000 * MS, false);
    }
    assertEquals(256 * 1024, l.peerOutstandingBytes(peer));
  }

  @Test
  void aPeerThatLiesAboutItsRateCannotGrowPastTheMaxOrTheGlobalBudget() {
    heapMax = 256 * MIB;
    AdaptiveLimits l = limits(Map.of("globalHeapPercent", 10));
    // Claims 100 GB/s at 1 s: would be a 100 GB BDP.
    drive(l, 100_000_000_000L, 1000, 400);
    assertEquals(l.globalOutstandingBytes(), l.peerOutstandingBytes(peer));
    assertTrue(l.globalOutstandingBytes() <= 26 * MIB, "10% of a 256 MiB heap: " + l.globalOutstandingBytes());
    heapMax = 64 * 1024 * MIB;
    l = limits(Map.of());
    drive(l, 100_000_000_000L, 1000, 400);
    assertEquals(100 * MIB, l.peerOutstandingBytes(peer), "and never past maxPeerOutstandingBytes");
  }

  @Test
  void theGlobalBudgetIsAShareOfTheHeapThatShrinksUnderMemoryPressureAndRecovers() {
    AdaptiveLimits l = limits(Map.of());
    long base = heapMax / 100 * 25;
    assertEquals(base, l.globalOutstandingBytes());
    l.memoryPressure();
    l.memoryPressure();
    assertEquals(base / 4, l.globalOutstandingBytes());
    for (int i = 0; i < 10; i++) {
      l.memoryPressure();
    }
    assertEquals(base / 16, l.globalOutstandingBytes(), "down to a sixteenth, no further");
    // Heap above the pressure mark counts too; below it, one halving comes back per second.
    now.addAndGet(4_000 * MS);
    assertEquals(base, l.globalOutstandingBytes());
    heapUsed.set(heapMax / 100 * 90);
    now.addAndGet(100 * MS);
    assertEquals(base / 2, l.globalOutstandingBytes());
    heapUsed.set(0);
    now.addAndGet(1_000 * MS);
    assertEquals(base, l.globalOutstandingBytes());
  }

  @Test
  void aPeersStateIsDroppedWhenItLeaves() {
    AdaptiveLimits l = limits(Map.of());
    l.sent(peer, 1000, MS, true);
    assertEquals(1, l.trackedPeers());
    l.peerGone(peer);
    assertEquals(0, l.trackedPeers());
  }

  /** Closed loop: each lookup's latency is what the tier gives at the current limit, all of it in flight. */
  private int lookupsSettle(AdaptiveLimits l, java.util.function.IntToLongFunction latencyAt, int samples) {
    for (int i = 0; i < samples; i++) {
      now.addAndGet(MS / 10);
      int limit = l.lookupConcurrency();
      l.lookedUp(latencyAt.applyAsLong(limit), true, limit);
    }
    return l.lookupConcurrency();
  }

  @Test
  void aSlowTierWhoseLatencyDoesNotGrowWithConcurrencyGetsTheMaximum() {
    AdaptiveLimits l = limits(Map.of());
    assertEquals(128, l.lookupConcurrency());
    assertEquals(2048, lookupsSettle(l, limit -> 5 * MS, 5_000));
  }

  @Test
  void aCpuBoundTierWhoseLatencyGrowsWithConcurrencyStaysNearItsParallelism() {
    AdaptiveLimits l = limits(Map.of());
    // 64 lookups truly in parallel; beyond that they queue: latency grows with the limit.
    int settled = lookupsSettle(l, limit -> Math.max(MS, MS * limit / 64), 20_000);
    assertTrue(settled < 400, "settles near its parallelism, not the maximum: " + settled);
    int later = lookupsSettle(l, limit -> Math.max(MS, MS * limit / 64), 20_000);
    assertTrue(Math.abs(later - settled) < 64, "and stays there: " + settled + " then " + later);
  }

  @Test
  void aCallerUsingLessThanHalfTheLimitDoesNotGrowIt() {
    AdaptiveLimits l = limits(Map.of());
    for (int i = 0; i < 5_000; i++) {
      now.addAndGet(MS / 10);
      l.lookedUp(5 * MS, true, 10);
    }
    assertEquals(128, l.lookupConcurrency());
  }

  @Test
  void invalidLimitsAreRefusedNamingTheKey() {
    Map<String, Object> bad = new HashMap<>();
    bad.put("minPeerOutstandingBytes", 8L * MIB);
    bad.put("maxPeerOutstandingBytes", 4L * MIB);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> AdaptiveLimits.of((AdaptiveLimitsConfig) Components.config(AdaptiveLimitsConfig.class, bad)));
    assertEquals("minPeerOutstandingBytes", e.key());
    e = assertThrows(InvalidConfigException.class, () -> AdaptiveLimits.of(
        (AdaptiveLimitsConfig) Components.config(AdaptiveLimitsConfig.class, Map.of("maxLookupConcurrency", 0))));
    assertEquals("maxLookupConcurrency", e.key());
    e = assertThrows(InvalidConfigException.class, () -> AdaptiveLimits.of(
        (AdaptiveLimitsConfig) Components.config(AdaptiveLimitsConfig.class, Map.of("globalHeapPercent", 95))));
    assertEquals("globalHeapPercent", e.key());
  }
}
