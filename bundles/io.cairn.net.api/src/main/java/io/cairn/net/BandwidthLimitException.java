package io.cairn.net;

import io.cairn.multiformats.PeerId;

/** The seed's {@code ErrBandwidthLimit}: a peer asked for blocks delivers them slower than the bandwidth threshold. */
public class BandwidthLimitException extends RouteException {
  private static final long serialVersionUID = 1L;
  private final long bytesPerSecond;
  private final long threshold;

  public BandwidthLimitException(PeerId peer, long bytesPerSecond, long threshold) {
    super(peer, "bandwidth limit: " + peer + " delivers " + bytesPerSecond + " B/s while asked, under the threshold of "
        + threshold + " B/s");
    this.bytesPerSecond = bytesPerSecond;
    this.threshold = threshold;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  public long threshold() {
    return threshold;
  }
}
