package io.cairn.bitswap.client.internal;

import java.util.function.Supplier;

/**
 * How many gets a session should keep in flight, from what it measures: the bytes it must have in flight
 * to fill the path are its delivery rate (bytes of blocks received per second) times the round trip
 * (want-block queued to block verified), and the wants that makes are those bytes over the mean block size.
 *
 * <p>The rule (BBR's, applied to wants): {@code window = gain × maxRate × minRtt / meanBlock}, bounded by
 * {@code windowMin}, {@code windowMax}, the client's {@code maxWants} and by {@code maxPendingVerifyBytes /
 * meanBlock} (what arrives at once must fit the bytes the client lets wait for their hash check). The rate is
 * the highest of the last {@value #RATE_SAMPLES} samples, each taken over an interval of at least one minimum
 * round trip: while the window is too small for the path, a full window arrives each round trip and the
 * window doubles (with the default gain 2); once the path is full the rate stops growing, queues form, the
 * round trip grows but its minimum does not, so the window settles at twice the bandwidth-delay product. When
 * the rate drops for {@value #RATE_SAMPLES} intervals, the window shrinks with it. The minimum round trip is
 * forgotten after {@value #MIN_RTT_EXPIRY_SECONDS} s so a path that got longer is measured again.
 *
 * <p>In {@code static} mode the window is {@code windowMin}: today's fixed number.
 *
 * <p>Written on the manager thread only; {@link #window()} and the measurements are read from any thread.
 * Times are {@link System#nanoTime()} values passed in, so tests drive the clock.
 */
final class WantWindow {
  static final int RATE_SAMPLES = 6;
  static final long MIN_RTT_EXPIRY_SECONDS = 10;
  private static final long MIN_INTERVAL_NANOS = 10_000_000L;
  private static final long MIN_RTT_EXPIRY_NANOS = MIN_RTT_EXPIRY_SECONDS * 1_000_000_000L;

  private final Supplier<ClientSettings> settings;
  private volatile long minRtt = -1;
  private long minRttAt;
  private double ewmaRtt;
  private double meanBlock;
  private long intervalStart = -1;
  private long intervalBytes;
  private final double[] rates = new double[RATE_SAMPLES];
  private int nextRate;
  private volatile int window;
  private volatile double rate;
  private volatile long rttNanos;

  WantWindow(Supplier<ClientSettings> settings) {
    this.settings = settings;
    this.window = settings.get().windowMin();
  }

  /** A want-block answered with its block {@code rttNanos} after it was queued. */
  void rtt(long sample, long now) {
    if (sample <= 0) {
      sample = 1;
    }
    if (minRtt < 0 || sample <= minRtt || now - minRttAt > MIN_RTT_EXPIRY_NANOS) {
      minRtt = sample;
      minRttAt = now;
    }
    ewmaRtt = ewmaRtt == 0 ? sample : ewmaRtt * 0.875 + sample * 0.125;
    rttNanos = (long) ewmaRtt;
  }

  /** A block of {@code bytes} delivered to the session at {@code now}. */
  void delivered(int bytes, long now) {
    meanBlock = meanBlock == 0 ? bytes : meanBlock * 0.9 + bytes * 0.1;
    if (intervalStart < 0) {
      // The first block opens the first interval: the time before it is the first round trip, not delivery.
      intervalStart = now;
      return;
    }
    intervalBytes += bytes;
    long elapsed = now - intervalStart;
    if (elapsed >= Math.max(MIN_INTERVAL_NANOS, minRtt)) {
      rates[nextRate] = intervalBytes * 1e9 / elapsed;
      nextRate = (nextRate + 1) % RATE_SAMPLES;
      intervalStart = now;
      intervalBytes = 0;
      resize();
    }
  }

  private void resize() {
    ClientSettings s = settings.get();
    double best = 0;
    for (double r : rates) {
      best = Math.max(best, r);
    }
    rate = best;
    if (!s.adaptiveWindow() || minRtt < 0 || meanBlock <= 0) {
      window = s.windowMin();
      return;
    }
    double wants = s.windowGain() * best * (minRtt / 1e9) / meanBlock;
    long memory = (long) (s.maxPendingVerifyBytes() / meanBlock);
    long upper = Math.max(s.windowMin(), Math.min(Math.min(s.windowMax(), s.maxWants()), memory));
    window = (int) Math.max(s.windowMin(), Math.min(upper, (long) Math.ceil(wants)));
  }

  /** Gets the session should keep in flight now. */
  int window() {
    ClientSettings s = settings.get();
    return s.adaptiveWindow() ? window : s.windowMin();
  }

  /**
   * Gets the caller should keep in flight now, {@code storing} of them with their block received and
   * waiting for the blockstore. A get stays in flight for its caller until its block is stored, so those
   * come on top of the window, else the path idles while a group commit forces the blocks that just arrived
   * (with a window of 32 blocks of 256 KiB, a pin ran transfer and store one after the other). At most a
   * window's worth comes on top: a store that falls behind holds the wants back. Static mode: the window.
   */
  int getsInFlight(int storing) {
    int w = window();
    return settings.get().adaptiveWindow() ? w + Math.min(Math.max(storing, 0), w) : w;
  }

  /** The measured delivery rate (bytes/s): the highest recent sample. */
  double rate() {
    return rate;
  }

  /** The smoothed round trip of a want-block, in nanoseconds (0 before the first). */
  long rttNanos() {
    return rttNanos;
  }

  /** The least round trip seen lately, in nanoseconds (-1 before the first). */
  long minRttNanos() {
    return minRtt;
  }
}
