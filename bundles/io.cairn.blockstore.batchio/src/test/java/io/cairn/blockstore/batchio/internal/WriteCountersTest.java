package io.cairn.blockstore.batchio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteCountersTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theRateCoversTheLastTenSecondsAndForgetsOlderBatches() {
    AtomicLong now = new AtomicLong(5 * SECOND); // the clock's origin is arbitrary
    WriteCounters counters = new WriteCounters(now::get);
    assertEquals(0, counters.batchesPerSec());

    now.addAndGet(SECOND / 2);
    for (int i = 0; i < 20; i++) {
      counters.written(100);
    }
    now.addAndGet(SECOND / 2);
    assertEquals(20, counters.batchesPerSec(), 1e-9); // 20 batches in the first second

    now.addAndGet(9 * SECOND); // 10 s after start: the window is seconds 1..10, the 20 fell out
    counters.written(100);
    assertEquals(1 / 9.0, counters.batchesPerSec(), 1e-9); // one batch; nine whole seconds, none of the tenth yet

    now.addAndGet(20 * SECOND);
    assertEquals(0, counters.batchesPerSec());
    assertEquals(21, counters.batches());
    assertEquals(2100, counters.blocks());
  }
}
