package io.cairn.bitswap.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.node.config.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The re-send schedule with seeded jitter, and boxo's per-peer send batching, on a driven clock. */
class BackoffAndBatchTest {
  static final long MS = 1_000_000L;

  @Test
  void reSendsBackOffExponentiallyUpToTheCap() {
    ClientSettings s = WantWindowTest.settings(Map.of("rebroadcastJitterPercent", 0));
    RandomGenerator random = new SplittableRandom(1);
    long[] expected = {10_000, 20_000, 40_000, 80_000, 160_000, 160_000, 160_000};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i] * MS, Backoff.delayNanos(s, i, random), "re-send " + i);
    }
    assertEquals(160_000 * MS, Backoff.delayNanos(s, 1_000, random), "no overflow");
  }

  @Test
  void jitterStaysWithinItsShareAndFollowsTheSeed() {
    ClientSettings s = WantWindowTest.settings(Map.of());
    long[] first = new long[5];
    long[] again = new long[5];
    RandomGenerator a = new SplittableRandom(42);
    RandomGenerator b = new SplittableRandom(42);
    boolean moved = false;
    for (int i = 0; i < 5; i++) {
      first[i] = Backoff.delayNanos(s, i, a);
      again[i] = Backoff.delayNanos(s, i, b);
      long nominal = Math.min(160_000L, 10_000L << i) * MS;
      assertTrue(first[i] >= nominal * 3 / 4 && first[i] <= nominal * 5 / 4, i + ": " + first[i]);
      moved |= first[i] != nominal;
    }
    assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(again));
    assertTrue(moved, "jitter moves the delays");
  }

  @Test
  void staticCounterpartIsAFixedInterval() {
    ClientSettings s = WantWindowTest.settings(Map.of("rebroadcastIntervalMillis", 5_000,
        "rebroadcastMaxIntervalMillis", 5_000, "rebroadcastJitterPercent", 0));
    for (int i = 0; i < 5; i++) {
      assertEquals(5_000 * MS, Backoff.delayNanos(s, i, new SplittableRandom(i)));
    }
    assertThrows(() -> WantWindowTest.settings(Map.of("rebroadcastIntervalMillis", 5_000,
        "rebroadcastMaxIntervalMillis", 1_000)), "rebroadcastMaxIntervalMillis");
  }

  @Test
  void sendDelayIsPeersTimesPerPeerDelayClamped() {
    ClientSettings s = WantWindowTest.settings(Map.of());
    assertEquals(20 * MS, s.sendDelayNanos(1), "clamped up to 20 ms");
    assertEquals(20 * MS, s.sendDelayNanos(160));
    assertEquals(50 * MS, s.sendDelayNanos(400), "400 peers x 125 us");
    assertEquals(2_000 * MS, s.sendDelayNanos(100_000), "clamped down to 2 s");
    assertThrows(() -> WantWindowTest.settings(Map.of("sendDelayMinMillis", 100, "sendDelayMaxMillis", 10)),
        "sendDelayMaxMillis");
  }

  @Test
  void aLoneFirstWantGoesAtOnce() {
    SendQueue q = new SendQueue();
    q.add(entry(0));
    assertTrue(q.due(0, 256), "nothing sent before: no wait");
    assertEquals(1, q.take(0, 20 * MS).size());
  }

  @Test
  void afterAMessageWantsGatherUntilTheDelay() {
    SendQueue q = new SendQueue();
    q.add(entry(0));
    q.take(0, 20 * MS);
    for (int i = 1; i <= 10; i++) {
      q.add(entry(i));
    }
    assertFalse(q.due(19 * MS, 256));
    assertEquals(20 * MS, q.dueAt(19 * MS));
    assertTrue(q.due(20 * MS, 256));
    assertEquals(10, q.take(20 * MS, 20 * MS).size());
    // Idle past the quiet time: the next want goes at once again.
    q.add(entry(11));
    assertTrue(q.due(45 * MS, 256));
  }

  @Test
  void aFullBatchGoesWithoutWaiting() {
    SendQueue q = new SendQueue();
    q.add(entry(0));
    q.take(0, 2_000 * MS);
    for (int i = 1; i < 256; i++) {
      q.add(entry(i));
      assertFalse(q.due(MS, 256), "only " + i);
    }
    q.add(entry(256));
    assertTrue(q.due(MS, 256), "256 entries");
    assertEquals(256, q.take(MS, 2_000 * MS).size());
    assertTrue(q.isEmpty());
  }

  private static void assertThrows(org.junit.jupiter.api.function.Executable e, String key) {
    InvalidConfigException x = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class, e);
    assertEquals(key, x.key(), x.getMessage());
  }

  private static WantlistEntry entry(int i) {
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, ("b" + i).getBytes(StandardCharsets.UTF_8)));
    return WantlistEntry.wantBlock(cid, i, true);
  }
}
