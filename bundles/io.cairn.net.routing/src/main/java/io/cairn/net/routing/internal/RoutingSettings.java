package io.cairn.net.routing.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.time.Duration;

/** The validated {@link RoutingConfig}. */
record RoutingSettings(Duration latencyThreshold, long bandwidthThreshold, double errorRateThreshold, int minRequests,
    Duration moveAfter, Duration probeInterval) {
  static RoutingSettings of(RoutingConfig c) {
    double errors = c.errorRateThreshold();
    if (!(errors >= 0 && errors <= 1)) {
      throw new InvalidConfigException("errorRateThreshold", errors + " is outside [0, 1]");
    }
    return new RoutingSettings(
        Duration.ofMillis(Configs.inRange("latencyThresholdMillis", c.latencyThresholdMillis(), 1, 600_000)),
        Configs.inRange("bandwidthThresholdBytesPerSecond", c.bandwidthThresholdBytesPerSecond(), 1, 100_000_000_000L),
        errors,
        (int) Configs.inRange("minRequests", c.minRequests(), 1, 1_000_000),
        Duration.ofMillis(Configs.inRange("moveAfterMillis", c.moveAfterMillis(), 0, 600_000)),
        Duration.ofMillis(Configs.inRange("probeIntervalMillis", c.probeIntervalMillis(), 100, 600_000)));
  }
}
