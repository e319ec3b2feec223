package io.cairn.bitswap.client.internal;

import java.util.random.RandomGenerator;

/**
 * When a want nobody answered is sent again: the first re-send after {@code rebroadcastIntervalMillis}, each
 * further one after twice the last, up to {@code rebroadcastMaxIntervalMillis}; each delay moved by a random
 * amount up to {@code rebroadcastJitterPercent} of it either way, so wants that failed together spread out.
 * With the maximum equal to the base and no jitter, the interval is fixed (the static counterpart).
 */
final class Backoff {
  private Backoff() {}

  /** The delay before re-send number {@code resends + 1} (0 for the first re-send after the first request). */
  static long delayNanos(ClientSettings s, int resends, RandomGenerator random) {
    long base = s.rebroadcastIntervalMillis() * 1_000_000L;
    long cap = s.rebroadcastMaxIntervalMillis() * 1_000_000L;
    // Doubling past 2^30 times the base overflows nothing: the cap is reached long before (3600 s / 100 ms < 2^16).
    long delay = resends >= 30 ? cap : Math.min(cap, base << resends);
    int jitter = s.rebroadcastJitterPercent();
    if (jitter > 0) {
      double spread = delay * jitter / 100.0;
      delay += (long) ((random.nextDouble() * 2 - 1) * spread);
    }
    return Math.max(1, delay);
  }
}
