package io.cairn.unixfs.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.time.Duration;

/** The validated form of {@link UnixFsConfig}. */
record UnixFsSettings(int maxHamtFanout, int maxPathDepth, int maxLinksPerNode, int maxDirectoryEntries,
    int maxFileDepth, Duration blockTimeout, int readAheadBlocks, int writeBatchBytes) {
  static UnixFsSettings of(UnixFsConfig c) {
    int fanout = (int) Configs.inRange("maxHamtFanout", c.maxHamtFanout(), 2, 1024);
    if (Integer.bitCount(fanout) != 1) {
      throw new InvalidConfigException("maxHamtFanout", fanout + " is not a power of two");
    }
    return new UnixFsSettings(fanout,
        (int) Configs.inRange("maxPathDepth", c.maxPathDepth(), 1, 4096),
        (int) Configs.inRange("maxLinksPerNode", c.maxLinksPerNode(), 1, 1_000_000),
        (int) Configs.inRange("maxDirectoryEntries", c.maxDirectoryEntries(), 1, 100_000_000),
        (int) Configs.inRange("maxFileDepth", c.maxFileDepth(), 1, 1024),
        Duration.ofMillis(Configs.inRange("blockTimeoutMillis", c.blockTimeoutMillis(), 1, 86_400_000)),
        (int) Configs.inRange("readAheadBlocks", c.readAheadBlocks(), 0, 256),
        (int) Configs.inRange("writeBatchBytes", c.writeBatchBytes(), 65_536, 268_435_456));
  }
}
