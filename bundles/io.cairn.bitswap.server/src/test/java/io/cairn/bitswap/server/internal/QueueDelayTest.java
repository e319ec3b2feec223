package io.cairn.bitswap.server.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueDelayTest {
  static final long MS = 1_000_000L;
  static final long TARGET = 10 * MS;
  static final long INTERVAL = QueueDelay.INTERVAL_NANOS;

  @Test
  void aBurstShorterThanAnIntervalPasses() {
    QueueDelay d = new QueueDelay();
    assertFalse(d.observe(50 * MS, TARGET, 0));
    assertFalse(d.observe(80 * MS, TARGET, 60 * MS));
    assertFalse(d.observe(5 * MS, TARGET, 90 * MS), "taken sooner than the target: the burst drained");
    assertFalse(d.observe(50 * MS, TARGET, 150 * MS), "a new burst starts its own interval");
  }

  @Test
  void aWaitAboveTheTargetThroughoutAnIntervalIsBehindForAnIntervalThenBehindAgainAtOnceWhileItLasts() {
    QueueDelay d = new QueueDelay();
    d.observe(20 * MS, TARGET, 0);
    assertFalse(d.observe(20 * MS, TARGET, INTERVAL - 1));
    assertTrue(d.observe(20 * MS, TARGET, INTERVAL));
    assertTrue(d.behind(2 * INTERVAL - 1));
    assertFalse(d.behind(2 * INTERVAL), "nothing measured for an interval (all shed): let in again");
    assertTrue(d.observe(20 * MS, TARGET, 3 * INTERVAL), "still above the target: behind at once");
    assertFalse(d.observe(0, TARGET, 3 * INTERVAL + MS), "no work waiting");
    assertFalse(d.behind(3 * INTERVAL + MS));
    assertFalse(d.observe(20 * MS, TARGET, 3 * INTERVAL + 2 * MS), "a new interval starts");
  }

  @Test
  void noTargetIsNeverBehind() {
    QueueDelay d = new QueueDelay();
    for (long t = 0; t < 1000 * MS; t += 10 * MS) {
      assertFalse(d.observe(1000 * MS, 0, t));
    }
  }
}
