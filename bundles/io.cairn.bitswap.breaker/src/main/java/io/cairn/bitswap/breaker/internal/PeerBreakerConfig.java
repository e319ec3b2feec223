package io.cairn.bitswap.breaker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn peer circuit breaker",
    description = "The circuit breaker of each bitswap peer (cairn.strategy=resilience4j): a peer whose messages keep "
        + "timing out (the network's send timeout: it does not read) is paused: its messages are held, not attempted, "
        + "until a probe after a wait is written (boxo#1142). Judged over the last slidingWindowSize messages that went "
        + "wrong or right since the peer's first timeout. Applies live; the breakers then start closed.")
@interface PeerBreakerConfig {
  @AttributeDefinition(name = "Failure rate threshold (%)", min = "1", max = "100",
      description = "Share of timed-out messages in the window at which the peer is paused.")
  int failureRateThreshold() default 50;

  @AttributeDefinition(name = "Window (messages)", min = "1", max = "10000",
      description = "How many of the peer's latest messages the rate is taken over.")
  int slidingWindowSize() default 20;

  @AttributeDefinition(name = "Minimum messages", min = "1", max = "10000",
      description = "Messages the window must hold before the rate is judged (at most the window).")
  int minimumNumberOfCalls() default 4;

  @AttributeDefinition(name = "Pause (ms)", min = "1", max = "3600000",
      description = "How long a paused peer's messages are held before one probe is sent.")
  long waitDurationInOpenStateMillis() default 5000;

  @AttributeDefinition(name = "Probe messages", min = "1", max = "1000",
      description = "Messages let through to a half-open peer; when they are written it resumes, else it is paused again.")
  int permittedCallsInHalfOpenState() default 1;
}
