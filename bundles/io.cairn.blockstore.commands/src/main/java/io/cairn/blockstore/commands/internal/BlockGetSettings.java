package io.cairn.blockstore.commands.internal;

import io.cairn.node.config.Configs;
import java.time.Duration;

/** The validated form of {@link BlockGetConfig}. */
record BlockGetSettings(Duration fetchTimeout) {
  static BlockGetSettings of(BlockGetConfig c) {
    return new BlockGetSettings(Duration.ofMillis(Configs.inRange("fetchTimeoutMillis", c.fetchTimeoutMillis(), 1, 86_400_000)));
  }
}
