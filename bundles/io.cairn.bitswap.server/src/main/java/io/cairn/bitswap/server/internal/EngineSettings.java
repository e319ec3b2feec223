package io.cairn.bitswap.server.internal;

import io.cairn.node.config.InvalidConfigException;

/** The validated, immutable form of {@link EngineConfig}, passed to the engine whole. */
record EngineSettings(int taskWorkerCount, int blockstoreWorkerCount, long maxOutstandingBytesPerPeer,
    int maxQueuedWantlistEntriesPerPeer, int targetMessageBytes, int maxTasksPerEnvelope,
    int maxBlockSizeReplaceHasWithBlock, int blockstoreTimeoutMillis) {
  static EngineSettings of(EngineConfig c) {
    range("taskWorkerCount", c.taskWorkerCount(), 1, 1024);
    range("blockstoreWorkerCount", c.blockstoreWorkerCount(), 1, 65536);
    range("maxOutstandingBytesPerPeer", c.maxOutstandingBytesPerPeer(), 65536, 1L << 30);
    range("maxQueuedWantlistEntriesPerPeer", c.maxQueuedWantlistEntriesPerPeer(), 1, 1_000_000);
    range("targetMessageBytes", c.targetMessageBytes(), 1024, 4 << 20);
    range("maxTasksPerEnvelope", c.maxTasksPerEnvelope(), 1, 10_000);
    range("maxBlockSizeReplaceHasWithBlock", c.maxBlockSizeReplaceHasWithBlock(), 0, 4 << 20);
    range("blockstoreTimeoutMillis", c.blockstoreTimeoutMillis(), 10, 600_000);
    return new EngineSettings(c.taskWorkerCount(), c.blockstoreWorkerCount(), c.maxOutstandingBytesPerPeer(),
        c.maxQueuedWantlistEntriesPerPeer(), c.targetMessageBytes(), c.maxTasksPerEnvelope(),
        c.maxBlockSizeReplaceHasWithBlock(), c.blockstoreTimeoutMillis());
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidConfigException(key, value + " is outside [" + min + ", " + max + "]");
    }
  }
}
