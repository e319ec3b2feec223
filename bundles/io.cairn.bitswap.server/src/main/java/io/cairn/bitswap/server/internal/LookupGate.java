package io.cairn.bitswap.server.internal;

import java.util.function.IntSupplier;

/**
 * Bounds the blockstore lookups running at once by a limit that may move at any time (the limits
 * strategy's lookup concurrency): {@link #acquire} waits while as many lookups run as the limit
 * allows now. A lowered limit holds back new lookups until enough running ones end; a raised one is
 * seen within a few milliseconds.
 */
final class LookupGate {
  /** How often a waiting worker reads the limit again, in case it rose. */
  private static final long RECHECK_MILLIS = 5;
  private int inFlight;

  /**
   * Waits for room under {@code limit}, takes it, and returns how many lookups ran before this one. A
   * {@code priority} lookup (a class above the lowest) may go a quarter over the limit, so better
   * classes keep their latency while the lowest class fills the limit.
   */
  synchronized int acquire(IntSupplier limit, boolean priority) throws InterruptedException {
    while (inFlight >= allowed(limit.getAsInt(), priority)) {
      wait(RECHECK_MILLIS);
    }
    return inFlight++;
  }

  private static int allowed(int limit, boolean priority) {
    return priority ? limit + Math.max(1, limit / 4) : limit;
  }

  synchronized void release() {
    inFlight--;
    notify();
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
