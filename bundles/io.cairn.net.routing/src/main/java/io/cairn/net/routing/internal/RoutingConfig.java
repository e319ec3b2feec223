package io.cairn.net.routing.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn route optimizer",
    description = "Which of the peers that have a block bitswap asks (the seed's RouteOptimizer, cairn.strategy=quality): peers within every threshold first; a peer past the latency, bandwidth or error rate threshold is bypassed while a better peer has the block, and a want waiting on it moves to that peer. The round trips of the peers it routes to are probed with a muxer ping at most once per probe interval, so a path that slows down is seen within seconds, not at the next keep-alive. Changes apply to the next decision.")
@interface RoutingConfig {
  @AttributeDefinition(name = "Latency threshold (ms)", description = "A peer whose round trip is longer is bypassed (seed NetworkConfig.LatencyThreshold).",
      min = "1", max = "600000")
  int latencyThresholdMillis() default 200;

  @AttributeDefinition(name = "Bandwidth threshold (B/s)",
      description = "A peer asked for blocks that delivers slower is bypassed (seed NetworkConfig.BandwidthThreshold: 1 MB/s). Judged only while it has wants waiting, so an idle peer is not slow.",
      min = "1", max = "100000000000")
  long bandwidthThresholdBytesPerSecond() default 1_000_000;

  @AttributeDefinition(name = "Error rate threshold", description = "A peer whose requests fail more often is bypassed (seed NetworkConfig.ErrorRateThreshold: 5%).",
      min = "0", max = "1")
  double errorRateThreshold() default 0.05;

  @AttributeDefinition(name = "Requests to judge errors", description = "The error rate judges a peer only once this many (recent, decayed) requests back it.",
      min = "1", max = "1000000")
  int minRequests() default 20;

  @AttributeDefinition(name = "Move after (ms)",
      description = "A want waiting this long on a bypassed peer moves to a better peer that has the block; shorter waits stay, so a brief slowdown does not send every want twice.",
      min = "0", max = "600000")
  int moveAfterMillis() default 500;

  @AttributeDefinition(name = "Probe interval (ms)", description = "How often the round trip of a peer being routed to is measured (a muxer ping).",
      min = "100", max = "600000")
  int probeIntervalMillis() default 1000;
}
