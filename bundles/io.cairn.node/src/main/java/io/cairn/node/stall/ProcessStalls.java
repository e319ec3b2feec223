package io.cairn.node.stall;

/**
 * The time the whole process stood still, summed since an arbitrary origin: a consumer reads it when it
 * starts waiting and again when its timeout fires, and does not count the difference against what it
 * waited for. A read that timed out during a one-second garbage collection pause was not slow; the
 * process was stopped.
 *
 * <p>Only stalls long enough to matter to a timeout are counted (see the implementation's threshold);
 * the value never decreases, and a stall in progress counts already while it lasts as far as it can be
 * seen, so a timeout that fires right after a pause sees that pause.
 */
@FunctionalInterface
public interface ProcessStalls {
  /** Nothing is measured: never a stall (a consumer without the monitor). */
  ProcessStalls NONE = () -> 0;

  /** Nanoseconds the process has stood still since an arbitrary origin; never decreasing. */
  long stalledNanos();
}
