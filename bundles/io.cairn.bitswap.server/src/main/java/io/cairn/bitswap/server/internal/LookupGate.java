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

  /** Waits for room under {@code limit}, takes it, and returns how many lookups ran before this one. */
  synchronized int acquire(IntSupplier limit) throws InterruptedException {
    while (inFlight >= limit.getAsInt()) {
      wait(RECHECK_MILLIS);
    }
    return inFlight++;
  }

  synchronized void release() {
    inFlight--;
    notify();
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
