package io.cairn.net.quality.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn connection quality",
    description = "Per connected peer: latency (a moving average of measured round trips), bandwidth each way, the error rate of requests (bitswap's wants and sends) and when it was last seen. Read by the connection manager's trim order and the route optimizer.")
@interface QualityConfig {
  @AttributeDefinition(name = "Latency smoothing",
      description = "Weight of a new round trip in the latency's moving average (go-libp2p's peerstore: 0.1); the first measurement is taken as it is.",
      min = "0.01", max = "1")
  double latencySmoothing() default 0.1;

  @AttributeDefinition(name = "Error half-life (s)",
      description = "How fast old requests stop counting in a peer's error rate: a request's weight halves every this many seconds, so a peer that recovers is trusted again and one that turns bad is seen soon.",
      min = "1", max = "86400")
  int errorHalfLifeSeconds() default 60;
}
