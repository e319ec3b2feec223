package io.cairn.net.quality.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.util.concurrent.TimeUnit;

/** The validated {@link QualityConfig}. */
record QualitySettings(double latencySmoothing, long errorHalfLifeNanos) {
  static QualitySettings of(QualityConfig c) {
    double smoothing = c.latencySmoothing();
    if (!(smoothing >= 0.01 && smoothing <= 1)) {
      throw new InvalidConfigException("latencySmoothing", smoothing + " is outside [0.01, 1]");
    }
    return new QualitySettings(smoothing,
        TimeUnit.SECONDS.toNanos(Configs.inRange("errorHalfLifeSeconds", c.errorHalfLifeSeconds(), 1, 86_400)));
  }
}
