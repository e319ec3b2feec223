package io.cairn.bitswap.server.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies since start in buckets growing by a quarter (so a percentile read back is within 25% of
 * the true value), from 1 µs to about 2 minutes: lock-free, fixed size, recorded from any thread. The
 * engine keeps one per want class for {@code bitswap/stat} whether or not a metric registry runs.
 */
final class LatencyRecorder {
  private static final double GROWTH = 1.25;
  private static final long FIRST_NANOS = 1_000;
  private static final int BUCKETS = 84;
  private static final double LOG_GROWTH = Math.log(GROWTH);
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long nanos) {
    int i = nanos <= FIRST_NANOS ? 0 : (int) Math.min(BUCKETS - 1, 1 + Math.floor(Math.log((double) nanos / FIRST_NANOS) / LOG_GROWTH));
    counts.incrementAndGet(i);
  }

  long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The upper bound of the bucket holding quantile {@code q} (0–1), in milliseconds; 0 when nothing was recorded. */
  double percentileMillis(double q) {
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snapshot[i];
      if (seen >= rank && snapshot[i] > 0) {
        return upperNanos(i) / 1e6;
      }
    }
    return upperNanos(BUCKETS - 1) / 1e6;
  }

  private static double upperNanos(int bucket) {
    return FIRST_NANOS * Math.pow(GROWTH, bucket);
  }
}
