package io.cairn.net;

import io.cairn.multiformats.PeerId;
import java.time.Duration;

/** The seed's {@code ErrHighLatency}: the connection's round trip is past the latency threshold. */
public class HighLatencyException extends RouteException {
  private static final long serialVersionUID = 1L;
  private final Duration latency;
  private final Duration threshold;

  public HighLatencyException(PeerId peer, Duration latency, Duration threshold) {
    super(peer, "connection latency too high: " + peer + " answers in " + latency.toMillis() + " ms, past the threshold of "
        + threshold.toMillis() + " ms");
    this.latency = latency;
    this.threshold = threshold;
  }

  public Duration latency() {
    return latency;
  }

  public Duration threshold() {
    return threshold;
  }
}
