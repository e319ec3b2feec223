package io.cairn.dag.commands.internal;

import io.cairn.node.config.Configs;
import java.time.Duration;

/** The validated form of {@link DagCommandsConfig}. */
record DagCommandsSettings(int importBatchBlocks, long importBatchBytes, int maxHeaderBytes, Duration blockTimeout) {
  static DagCommandsSettings of(DagCommandsConfig c) {
    return new DagCommandsSettings((int) Configs.inRange("importBatchBlocks", c.importBatchBlocks(), 1, 65_536),
        Configs.inRange("importBatchBytes", c.importBatchBytes(), 1, 1L << 30),
        (int) Configs.inRange("maxHeaderBytes", c.maxHeaderBytes(), 16, 64 << 20),
        Duration.ofMillis(Configs.inRange("blockTimeoutMillis", c.blockTimeoutMillis(), 1, 86_400_000)));
  }
}
