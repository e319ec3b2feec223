package io.cairn.bitswap.breaker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn tier circuit breaker",
    description = "The circuit breaker of each block tier (cairn.strategy=resilience4j), for the reads that serve peers "
        + "(bitswap): a tier whose reads fail, time out or are slow opens, and those reads skip it at once (the next "
        + "tier is asked, or the read is a miss: bitswap answers DONT_HAVE) until probes after a wait succeed. The "
        + "node's own reads (pinning, garbage collection, cat, the gateway) always wait for the tier. Judged over "
        + "the last slidingWindowSize reads of the tier. Applies live; the breakers then start closed.")
@interface TierBreakerConfig {
  @AttributeDefinition(name = "Read timeout (ms)", min = "1", max = "600000",
      description = "A read for a peer that takes longer is failed, counted against the tier, and the next tier is asked: "
          + "no such read waits on a hanging tier longer than this.")
  long readTimeoutMillis() default 500;

  @AttributeDefinition(name = "Failure rate threshold (%)", min = "1", max = "100",
      description = "Share of failed or timed-out reads in the window at which the tier opens. Not found is an answer, not a failure.")
  int failureRateThreshold() default 50;

  @AttributeDefinition(name = "Slow read (ms)", min = "1", max = "600000",
      description = "A read answered after this long counts as slow.")
  long slowCallDurationMillis() default 200;

  @AttributeDefinition(name = "Slow read rate threshold (%)", min = "1", max = "100",
      description = "Share of slow reads in the window at which the tier opens (100: only when every read is slow).")
  int slowCallRateThreshold() default 80;

  @AttributeDefinition(name = "Window (reads)", min = "1", max = "10000",
      description = "How many of the tier's latest reads the rates are taken over.")
  int slidingWindowSize() default 50;

  @AttributeDefinition(name = "Minimum reads", min = "1", max = "10000",
      description = "Reads the window must hold before the rates are judged (at most the window).")
  int minimumNumberOfCalls() default 10;

  @AttributeDefinition(name = "Wait when open (ms)", min = "1", max = "3600000",
      description = "How long an open tier is skipped before probe reads go to it.")
  long waitDurationInOpenStateMillis() default 5000;

  @AttributeDefinition(name = "Probe reads", min = "1", max = "1000",
      description = "Reads let through to a half-open tier; when their rates are under the thresholds it closes, else it opens again.")
  int permittedCallsInHalfOpenState() default 5;
}
