package io.cairn.bitswap.server.internal;

/**
 * Whether the engine has fallen behind, judged as CoDel (RFC 8289) judges a queue: by how long the
 * longest-waiting peer whose best wants are of the lowest class has waited for a task worker, looked at
 * each time a worker takes a turn (better classes go ahead, so the lowest class's wait is the backlog;
 * a peer held back by its own byte budget is not waiting for a worker). A burst passes (the wait may exceed the target
 * for less than an interval); a wait that stays above the target for a whole interval means the engine
 * is asked more than it serves. Behind lasts an interval past the last wait above the target: while the
 * engine sheds the lowest class little of it waits to be measured, so it is let in again after an
 * interval, and behind again at once if its wait is still above the target (CoDel's quick re-entry). A
 * wait below the target ends it. Thread-safe: every worker reports
 * to it.
 */
final class QueueDelay {
  /** CoDel's interval: long enough for a burst to drain, short enough to react within a want's patience. */
  static final long INTERVAL_NANOS = 100_000_000L;

  /** When the wait went above the target and stayed there, plus an interval; 0 while it is below. */
  private long aboveUntil;
  /** Behind until then (an interval past the last wait above the target once behind). */
  private volatile long behindUntil;
  private volatile boolean behindSet;

  /**
   * A turn began while the lowest class had waited {@code delayNanos} for a worker ({@code 0}: none
   * waits), at {@code now}; returns whether the engine is now behind.
   */
  synchronized boolean observe(long delayNanos, long targetNanos, long now) {
    if (targetNanos <= 0 || delayNanos < targetNanos) {
      aboveUntil = 0;
      behindSet = false;
    } else if (aboveUntil == 0) {
      aboveUntil = now + INTERVAL_NANOS;
    } else if (now - aboveUntil >= 0) {
      behindUntil = now + INTERVAL_NANOS;
      behindSet = true;
    }
    return behind(now);
  }

  boolean behind(long now) {
    return behindSet && now - behindUntil < 0;
  }
}
