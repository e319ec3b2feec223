package io.cairn.node.net;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.osgi.service.log.Logger;

/**
 * Refusals (a connection over a limit, a failed login) logged at WARN without letting a flood write the log:
 * at most one line per limit per interval. A line is about the refusal that wrote it, so it names the latest
 * source; when refusals by the same limit were left out since its previous line, it ends with how many. Every
 * refusal should also be counted where an operator can see it (a metric): this log only samples them.
 *
 * <p>The limits are named when the log is made, one window each: a small fixed set, never keyed by anything
 * a client chooses. A source that rotates its addresses gets no more lines than one that does not, and the
 * log's memory does not grow with the sources it meets.
 *
 * <p>Thread-safe without a lock: a refusal left out costs a read of the clock and an atomic increment.
 */
public final class RefusalLog {
  static final String LEFT_OUT = "; {} more refusals since the last such line";

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows;

  private static final class Window {
    /** When this limit's last line was written, on {@link #nanoClock}. */
    final AtomicLong lastLine;
    /** Refusals by this limit left out since its last line. */
    final AtomicLong leftOut = new AtomicLong();

    Window(long lastLine) {
      this.lastLine = new AtomicLong(lastLine);
    }
  }

  /**
   * A log on {@link System#nanoTime()}.
   *
   * @param interval at most one line per limit per this long; zero logs every refusal
   * @param limits the names of the limits whose refusals are logged (config keys, say)
   */
  public RefusalLog(Logger log, Duration interval, Collection<String> limits) {
    this(log, interval, limits, System::nanoTime);
  }

  /**
   * @param nanoClock a monotonic clock in nanoseconds, as {@link System#nanoTime()}
   * @throws IllegalArgumentException if {@code interval} is negative
   */
  public RefusalLog(Logger log, Duration interval, Collection<String> limits, LongSupplier nanoClock) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("a refusal log interval cannot be negative: " + interval);
    }
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    long now = nanoClock.getAsLong();
    Map<String, Window> w = new HashMap<>();
    for (String limit : limits) {
      // As if the last line were an interval ago: the first refusal is logged.
      w.put(limit, new Window(now - intervalNanos));
    }
    this.windows = Map.copyOf(w);
  }

  /**
   * One refusal by {@code limit}: logged at WARN as {@code format} with {@code args} (the {@link Logger}'s
   * {@code {}} placeholders; name the source in them) unless this limit's last line was written less than an
   * interval ago, in which case it is only counted for the next line. Nothing is formatted for a refusal that
   * is left out.
   *
   * @throws IllegalArgumentException if {@code limit} is not one this log was made with
   */
  public void refused(String limit, String format, Object... args) {
    Window w = windows.get(limit);
    if (w == null) {
      throw new IllegalArgumentException("'" + limit + "' is not a limit of this refusal log " + windows.keySet());
    }
    long now = nanoClock.getAsLong();
    long last = w.lastLine.get();
    // One thread wins the turn to write the line; those that lose it count themselves in the next line.
    if (now - last < intervalNanos || !w.lastLine.compareAndSet(last, now)) {
      w.leftOut.incrementAndGet();
      return;
    }
    long leftOut = w.leftOut.getAndSet(0);
    if (leftOut == 0) {
      log.warn(format, args);
      return;
    }
    Object[] withCount = new Object[args.length + 1];
    System.arraycopy(args, 0, withCount, 0, args.length);
    withCount[args.length] = leftOut;
    log.warn(format + LEFT_OUT, withCount);
  }
}
