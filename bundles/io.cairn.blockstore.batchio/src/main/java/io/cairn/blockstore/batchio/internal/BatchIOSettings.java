package io.cairn.blockstore.batchio.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;

/** The validated, immutable form of {@link BatchIOConfig}. */
record BatchIOSettings(int batchSize, long batchTimeoutMillis, int maxQueuedBlocks, long maxQueuedBytes,
    long enqueueTimeoutMillis, long drainTimeoutMillis) {

  static BatchIOSettings of(BatchIOConfig c) {
    int batchSize = (int) Configs.inRange("batchSize", c.batchSize(), 1, 100_000);
    int maxQueuedBlocks = (int) Configs.inRange("maxQueuedBlocks", c.maxQueuedBlocks(), 1, 10_000_000);
    if (maxQueuedBlocks < batchSize) {
      throw new InvalidConfigException("maxQueuedBlocks", maxQueuedBlocks + " is below batchSize " + batchSize
          + ": no batch could ever fill");
    }
    return new BatchIOSettings(batchSize,
        Configs.inRange("batchTimeoutMillis", c.batchTimeoutMillis(), 1, 10_000),
        maxQueuedBlocks,
        Configs.inRange("maxQueuedBytes", c.maxQueuedBytes(), 1, Long.MAX_VALUE),
        Configs.inRange("enqueueTimeoutMillis", c.enqueueTimeoutMillis(), 0, 600_000),
        Configs.inRange("drainTimeoutMillis", c.drainTimeoutMillis(), 0, 600_000));
  }
}
