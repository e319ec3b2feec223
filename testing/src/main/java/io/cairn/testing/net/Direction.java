package io.cairn.testing.net;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The faults of one direction of a {@link FaultProxy} (client to target, or target to client), applied
 * to every connection it has open and every one it accepts later. Each setter takes effect at once on
 * open connections (from the next byte the proxy moves) and returns this direction, for chaining.
 * Thread-safe.
 *
 * <p>The link a direction models: bytes read from the sender wait in the link's buffer for the rate
 * cap's tokens (serialization), then spend the one-way delay on the wire (propagation), then are written
 * to the receiver, in the order they were read. With a rate cap R the link holds at most the buffer plus
 * what the wire carries (R × delay); without one nothing waits for tokens, and the buffer bounds the delay
 * line itself. When the link is full the proxy stops reading from the sender (its TCP window closes), and
 * while the receiver does not read the proxy stops writing to it: nothing is queued without bound. Either
 * can overshoot by one read of the socket (at most 64 KiB).
 */
public final class Direction {
  /** Large enough that a loopback delay line of a few hundred milliseconds is not limited by it. */
  public static final long DEFAULT_BUFFER_BYTES = 64L << 20;
  /** The longest delay or stall accepted (a longer one is a mistake, not a fault to inject). */
  public static final Duration MAX_DURATION = Duration.ofHours(1);

  /**
   * One immutable state of the direction. {@code resetAfter} is -1 when no reset is armed;
   * {@code resetGeneration} counts {@link #resetAfter(long)} calls, so that each open link re-arms its
   * countdown from where it is when the call is made.
   */
  record Settings(long delayNanos, long rate, long buffer, Blackhole blackhole, boolean stalled, long stallUntilNanos,
      long resetAfter, long resetGeneration) {
    /** @return the most the link may hold before the proxy stops reading from the sender */
    long limit() {
      double wire = rate == 0 ? 0 : (double) rate * delayNanos / 1e9;
      return (long) Math.min(Long.MAX_VALUE / 2, buffer + wire);
    }

    /**
     * The token bucket's depth: 5 ms at the rate (so a late timer tick loses no throughput), at least
     * 1 KiB, never more than the buffer (so what passes in t seconds is at most rate × t + buffer).
     */
    long bucketDepth() {
      return Math.max(1, Math.min(buffer, Math.max(1024, rate / 200)));
    }
  }

  private final String name;
  private final Runnable changed;
  private volatile Settings settings = new Settings(0, 0, DEFAULT_BUFFER_BYTES, Blackhole.OFF, false, 0, -1, 0);

  Direction(String name, Runnable changed) {
    this.name = name;
    this.changed = changed;
  }

  /** @param oneWay added to every byte's trip in this direction (an RTT of d needs d/2 each way); 0 for none */
  public Direction delay(Duration oneWay) {
    long nanos = checkDuration("delay", oneWay);
    return update(s -> new Settings(nanos, s.rate, s.buffer, s.blackhole, s.stalled, s.stallUntilNanos, s.resetAfter,
        s.resetGeneration));
  }

  /** @param bytesPerSecond the cap (token bucket), or 0 for none */
  public Direction rate(long bytesPerSecond) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException(name + ": rate must be 0 (no cap) or more bytes per second, not " + bytesPerSecond);
    }
    return update(s -> new Settings(s.delayNanos, bytesPerSecond, s.buffer, s.blackhole, s.stalled, s.stallUntilNanos,
        s.resetAfter, s.resetGeneration));
  }

  /** @param bytes the link's buffer (see the class comment), at least 1 */
  public Direction buffer(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException(name + ": buffer must be at least 1 byte, not " + bytes);
    }
    return update(s -> new Settings(s.delayNanos, s.rate, bytes, s.blackhole, s.stalled, s.stallUntilNanos, s.resetAfter,
        s.resetGeneration));
  }

  /**
   * Stops forwarding from now for {@code duration} (reading goes on until the link is full); zero ends a
   * stall early. What the link held goes on afterwards, in order.
   */
  public Direction stall(Duration duration) {
    long nanos = checkDuration("stall", duration);
    long until = System.nanoTime() + nanos;
    return update(s -> new Settings(s.delayNanos, s.rate, s.buffer, s.blackhole, nanos > 0, until, s.resetAfter,
        s.resetGeneration));
  }

  /** @param mode {@link Blackhole#OFF} to forward again */
  public Direction blackhole(Blackhole mode) {
    Objects.requireNonNull(mode, "mode");
    return update(s -> new Settings(s.delayNanos, s.rate, s.buffer, mode, s.stalled, s.stallUntilNanos, s.resetAfter,
        s.resetGeneration));
  }

  /**
   * Resets each connection (TCP RST to both ends: SO_LINGER 0) once this direction has delivered
   * {@code bytes} more bytes: counted from now on open connections and from the start on new ones.
   * 0 resets every open connection now and every new one as soon as it is accepted.
   */
  public Direction resetAfter(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException(name + ": resetAfter must be 0 or more bytes, not " + bytes);
    }
    return update(s -> new Settings(s.delayNanos, s.rate, s.buffer, s.blackhole, s.stalled, s.stallUntilNanos, bytes,
        s.resetGeneration + 1));
  }

  /** Disarms {@link #resetAfter(long)}. */
  public Direction noReset() {
    return update(s -> new Settings(s.delayNanos, s.rate, s.buffer, s.blackhole, s.stalled, s.stallUntilNanos, -1,
        s.resetGeneration + 1));
  }

  public Duration delay() {
    return Duration.ofNanos(settings.delayNanos);
  }

  /** @return the rate cap in bytes per second, 0 for none */
  public long rate() {
    return settings.rate;
  }

  public long buffer() {
    return settings.buffer;
  }

  public Blackhole blackhole() {
    return settings.blackhole;
  }

  Settings settings() {
    return settings;
  }

  @Override
  public String toString() {
    Settings s = settings;
    return name + ": delay " + s.delayNanos / 1e6 + " ms, rate " + (s.rate == 0 ? "uncapped" : s.rate + " B/s") + ", buffer "
        + s.buffer + " B" + (s.blackhole == Blackhole.OFF ? "" : ", blackhole " + s.blackhole)
        + (s.resetAfter < 0 ? "" : ", reset after " + s.resetAfter + " B");
  }

  private synchronized Direction update(UnaryOperator<Settings> change) {
    settings = change.apply(settings);
    changed.run();
    return this;
  }

  private long checkDuration(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(name + ": " + what + " must be 0 to " + MAX_DURATION + ", not " + d);
    }
    return d.toNanos();
  }
}
