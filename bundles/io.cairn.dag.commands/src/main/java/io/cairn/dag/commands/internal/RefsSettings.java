package io.cairn.dag.commands.internal;

import io.cairn.node.config.Configs;
import java.time.Duration;

/** The validated form of {@link RefsConfig}. */
record RefsSettings(Duration blockTimeout) {
  static RefsSettings of(RefsConfig c) {
    return new RefsSettings(Duration.ofMillis(Configs.inRange("blockTimeoutMillis", c.blockTimeoutMillis(), 1, 3_600_000)));
  }
}
