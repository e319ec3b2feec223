package io.cairn.blockstore.batchio.internal;

import java.util.function.LongSupplier;

/**
 * Batches and blocks written since start, and batches per second over a recent window: ten one-second
 * buckets, the current one partial, so the rate covers the last nine to ten seconds (less just after
 * start). Updated once per batch, so a lock costs nothing that matters.
 */
final class WriteCounters {
  static final int WINDOW_SECONDS = 10;
  private static final double NANOS_PER_SECOND = 1e9;

  private final LongSupplier nanoTime;
  private final long start;
  private final long[] bucketCount = new long[WINDOW_SECONDS];
  /** Which second since start each bucket counts. */
  private final long[] bucketSecond = new long[WINDOW_SECONDS];
  private long batches;
  private long blocks;

  WriteCounters(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  synchronized void written(int batchBlocks) {
    batches++;
    blocks += batchBlocks;
    long second = (nanoTime.getAsLong() - start) / 1_000_000_000L;
    int i = (int) (second % WINDOW_SECONDS);
    if (bucketSecond[i] != second) {
      bucketSecond[i] = second;
      bucketCount[i] = 0;
    }
    bucketCount[i]++;
  }

  synchronized long batches() {
    return batches;
  }

  synchronized long blocks() {
    return blocks;
  }

  synchronized double batchesPerSec() {
    long elapsed = nanoTime.getAsLong() - start;
    long second = elapsed / 1_000_000_000L;
    long first = Math.max(0, second - WINDOW_SECONDS + 1);
    long sum = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (bucketSecond[i] >= first && bucketSecond[i] <= second) {
        sum += bucketCount[i];
      }
    }
    double span = elapsed / NANOS_PER_SECOND - first;
    return span <= 0 ? 0 : sum / span;
  }
}
