package io.cairn.bitswap.adaptive.internal;

/**
 * A concurrency limit moved by the latency gradient, after Netflix concurrency-limits' Gradient2
 * (written from its description; the library has no OSGi headers and needs SLF4J): each sample's
 * latency (the short RTT) is compared with a long-term RTT; {@code gradient = clamp(tolerance × long /
 * short, 0.5, 1)}; {@code new = limit × gradient + √limit} (the queue allowance), smoothed
 * ({@code limit × (1 − smoothing) + new × smoothing}) and kept within [min, max]. While fewer than half
 * the limit are in flight the caller is not using the limit, so it does not grow.
 *
 * <p>Gradient2's long RTT is an average over a long window, so a latency that grows slowly with
 * concurrency (a CPU-bound tier) is followed and the limit drifts up to its maximum. Here the long RTT
 * is also held at or under the no-load RTT (the lowest latency seen), as Netflix's first Gradient rule
 * did, and the no-load RTT is measured again every {@code probeNanos} by dropping to the minimum for
 * {@code min} samples. So a tier whose latency does not grow with concurrency (a slow disk) climbs to the
 * maximum, and one whose latency grows with it settles a little above its own parallelism. Not
 * thread-safe: the caller synchronizes.
 */
final class GradientLimit {
  private final int min;
  private final int max;
  private final double tolerance;
  private final double smoothing;
  private final double longAlpha;
  private final long probeNanos;
  private double limit;
  private double longRtt = -1;
  private double noLoadRtt = -1;
  private long lastProbe;
  private int probeSamplesLeft;

  GradientLimit(int min, int max, double tolerance, double smoothing, int longWindow, long probeNanos, long now) {
    this.min = min;
    this.max = max;
    this.tolerance = tolerance;
    this.smoothing = smoothing;
    this.longAlpha = 2.0 / (longWindow + 1);
    this.probeNanos = probeNanos;
    this.limit = min;
    this.lastProbe = now;
  }

  int limit() {
    return (int) limit;
  }

  /** A lookup took {@code rttNanos}; {@code inFlight} were running when it began; {@code now} drives the probe. */
  void sample(long rttNanos, int inFlight, long now) {
    double shortRtt = Math.max(1, rttNanos);
    noLoadRtt = noLoadRtt < 0 ? shortRtt : Math.min(noLoadRtt, shortRtt);
    if (probeSamplesLeft > 0) {
      probeSamplesLeft--;
      return;
    }
    longRtt = longRtt < 0 ? shortRtt : longRtt * (1 - longAlpha) + shortRtt * longAlpha;
    if (longRtt / shortRtt > 2) {
      // Gradient2: a long RTT far above the short one means a load went away; let it come down faster.
      longRtt *= 0.95;
    }
    if (now - lastProbe >= probeNanos) {
      lastProbe = now;
      limit = min;
      noLoadRtt = -1;
      probeSamplesLeft = min;
      return;
    }
    if (inFlight < limit / 2) {
      return;
    }
    double base = Math.min(longRtt, noLoadRtt);
    double gradient = Math.max(0.5, Math.min(1.0, tolerance * base / shortRtt));
    double next = limit * gradient + Math.sqrt(limit);
    next = limit * (1 - smoothing) + next * smoothing;
    limit = Math.max(min, Math.min(max, next));
  }
}
