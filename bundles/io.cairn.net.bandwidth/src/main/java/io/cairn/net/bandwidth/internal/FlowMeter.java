package io.cairn.net.bandwidth.internal;

import io.cairn.net.Bandwidth;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes each way and their rates, as go-flow-metrics keeps them: counted by any thread (a
 * {@link LongAdder}: streams of many event loops add to one meter), and once a second the sweeper turns
 * what was added since into a rate, a moving average that forgets with a one-second time constant
 * ({@code alpha = 1 - 1/e}).
 */
final class FlowMeter {
  static final double ALPHA = 1 - Math.exp(-1);
  /** Below this a rate is idle and reads 0 (go-flow-metrics' IdleRate). */
  private static final double IDLE_RATE = 1e-13;

  private final LongAdder in = new LongAdder();
  private final LongAdder out = new LongAdder();
  /** Written by the sweeper only. */
  private volatile double rateIn;
  private volatile double rateOut;
  private long sweptIn;
  private long sweptOut;
  private long sweptAt;
  private long activeAt;
  /** Set once, when the sweeper drops this meter from its map: a stream holding it looks up a fresh one. */
  volatile boolean forgotten;

  FlowMeter(long now) {
    sweptAt = now;
    activeAt = now;
  }

  void received(int bytes) {
    in.add(bytes);
  }

  void sent(int bytes) {
    out.add(bytes);
  }

  /** The sweeper's tick at {@code now} (nanoseconds); answers when bytes last moved. */
  long sweep(long now) {
    long elapsed = now - sweptAt;
    if (elapsed <= 0) {
      return activeAt;
    }
    long totalIn = in.sum();
    long totalOut = out.sum();
    rateIn = next(rateIn, (totalIn - sweptIn) * 1e9 / elapsed);
    rateOut = next(rateOut, (totalOut - sweptOut) * 1e9 / elapsed);
    if (totalIn != sweptIn || totalOut != sweptOut) {
      activeAt = now;
    }
    sweptIn = totalIn;
    sweptOut = totalOut;
    sweptAt = now;
    return activeAt;
  }

  private static double next(double rate, double instant) {
    double r = rate == 0 ? instant : rate + ALPHA * (instant - rate);
    return r <= IDLE_RATE ? 0 : r;
  }

  Bandwidth bandwidth() {
    return new Bandwidth(in.sum(), out.sum(), rateIn, rateOut);
  }
}
