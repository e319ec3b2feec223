package io.cairn.bitswap.spi;

import java.util.concurrent.TimeUnit;

/**
 * A want's service class, with the seed design's latency targets (AdaptiveBitswapConfig's
 * CriticalPriorityThreshold 10 ms and HighPriorityThreshold 50 ms): the time from the want's arrival
 * to its answer that the engine aims for. Declared best first: the engine serves a lower ordinal first.
 */
public enum WantClass {
  CRITICAL(TimeUnit.MILLISECONDS.toNanos(10)),
  HIGH(TimeUnit.MILLISECONDS.toNanos(50)),
  /** No latency target: served when nothing better waits, shed first when the engine is over capacity. */
  NORMAL(-1);

  private final long targetNanos;

  WantClass(long targetNanos) {
    this.targetNanos = targetNanos;
  }

  /** The latency target in nanoseconds, or -1 for none. */
  public long targetNanos() {
    return targetNanos;
  }

  /** The next better class (CRITICAL stays CRITICAL). */
  public WantClass higher() {
    return this == CRITICAL ? CRITICAL : values()[ordinal() - 1];
  }

  /** The metric label and display name: the constant's name in lower case. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
