package io.cairn.net;

import io.cairn.multiformats.PeerId;

/** A peer whose requests fail more often than the error rate threshold. */
public class ErrorRateException extends RouteException {
  private static final long serialVersionUID = 1L;
  private final double errorRate;
  private final double threshold;

  public ErrorRateException(PeerId peer, double errorRate, double threshold) {
    super(peer, String.format(java.util.Locale.ROOT, "error rate too high: %.1f%% of the requests to %s fail, past the threshold of %.1f%%",
        100 * errorRate, peer, 100 * threshold));
    this.errorRate = errorRate;
    this.threshold = threshold;
  }

  public double errorRate() {
    return errorRate;
  }

  public double threshold() {
    return threshold;
  }
}
