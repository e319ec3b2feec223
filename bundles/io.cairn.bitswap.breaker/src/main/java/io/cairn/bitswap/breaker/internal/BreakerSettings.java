package io.cairn.bitswap.breaker.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The validated thresholds of one kind of breaker (tier or peer), as resilience4j takes them: a count
 * window of the last {@code windowSize} calls, judged once {@code minimumCalls} are in it; the breaker
 * opens when the failure rate or the slow-call rate reaches its threshold, skips calls for
 * {@code waitOpenMillis}, then lets {@code halfOpenCalls} probes through and closes when they pass.
 *
 * @param timeoutMillis how long a guarded call may take before the caller fails it (0: the caller's own)
 */
record BreakerSettings(int failureRatePercent, int slowCallRatePercent, long slowCallMillis, int windowSize,
    int minimumCalls, long waitOpenMillis, int halfOpenCalls, long timeoutMillis) {

  static BreakerSettings of(TierBreakerConfig c) {
    BreakerSettings s = new BreakerSettings(
        (int) Configs.inRange("failureRateThreshold", c.failureRateThreshold(), 1, 100),
        (int) Configs.inRange("slowCallRateThreshold", c.slowCallRateThreshold(), 1, 100),
        Configs.inRange("slowCallDurationMillis", c.slowCallDurationMillis(), 1, 600_000),
        (int) Configs.inRange("slidingWindowSize", c.slidingWindowSize(), 1, 10_000),
        (int) Configs.inRange("minimumNumberOfCalls", c.minimumNumberOfCalls(), 1, 10_000),
        Configs.inRange("waitDurationInOpenStateMillis", c.waitDurationInOpenStateMillis(), 1, 3_600_000),
        (int) Configs.inRange("permittedCallsInHalfOpenState", c.permittedCallsInHalfOpenState(), 1, 1000),
        Configs.inRange("readTimeoutMillis", c.readTimeoutMillis(), 1, 600_000));
    return s.checked();
  }

  static BreakerSettings of(PeerBreakerConfig c) {
    BreakerSettings s = new BreakerSettings(
        (int) Configs.inRange("failureRateThreshold", c.failureRateThreshold(), 1, 100),
        // A send is judged by the network's send timeout alone: one that completes is never "slow".
        100, 600_000,
        (int) Configs.inRange("slidingWindowSize", c.slidingWindowSize(), 1, 10_000),
        (int) Configs.inRange("minimumNumberOfCalls", c.minimumNumberOfCalls(), 1, 10_000),
        Configs.inRange("waitDurationInOpenStateMillis", c.waitDurationInOpenStateMillis(), 1, 3_600_000),
        (int) Configs.inRange("permittedCallsInHalfOpenState", c.permittedCallsInHalfOpenState(), 1, 1000),
        0);
    return s.checked();
  }

  private BreakerSettings checked() {
    if (minimumCalls > windowSize) {
      throw new InvalidConfigException("minimumNumberOfCalls",
          minimumCalls + " is more than slidingWindowSize (" + windowSize + "): the window could never be judged");
    }
    return this;
  }

  /** The resilience4j configuration, on {@code clock} (the system's, or a test's driven one). */
  CircuitBreakerConfig toConfig(Clock clock) {
    return CircuitBreakerConfig.custom()
        .slidingWindow(windowSize, minimumCalls, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(failureRatePercent)
        .slowCallRateThreshold(slowCallRatePercent)
        .slowCallDurationThreshold(Duration.ofMillis(slowCallMillis))
        .waitDurationInOpenState(Duration.ofMillis(waitOpenMillis))
        .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
        // Probes are bounded by the caller's timeout; none lingers, so half-open needs no clock of its own.
        .maxWaitDurationInHalfOpenState(Duration.ZERO)
        // Open to half-open on the next call after the wait: no timer thread per breaker.
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        // The exceptions skipped calls would throw are never built: nothing here throws them.
        .writableStackTraceEnabled(false)
        .clock(clock)
        .build();
  }
}
