package io.cairn.bitswap.server.internal;

import io.cairn.node.config.Configs;

/** The validated, immutable form of {@link EngineConfig}, passed to the engine whole. */
record EngineSettings(int taskWorkerCount, int blockstoreWorkerCount, long maxOutstandingBytesPerPeer,
    int maxQueuedWantlistEntriesPerPeer, int targetMessageBytes, int maxTasksPerEnvelope,
    int maxBlockSizeReplaceHasWithBlock, int blockstoreTimeoutMillis) {
  static EngineSettings of(EngineConfig c) {
    Configs.inRange("taskWorkerCount", c.taskWorkerCount(), 1, 1024);
    Configs.inRange("blockstoreWorkerCount", c.blockstoreWorkerCount(), 1, 65536);
    Configs.inRange("maxOutstandingBytesPerPeer", c.maxOutstandingBytesPerPeer(), 65536, 1L << 30);
    Configs.inRange("maxQueuedWantlistEntriesPerPeer", c.maxQueuedWantlistEntriesPerPeer(), 1, 1_000_000);
    Configs.inRange("targetMessageBytes", c.targetMessageBytes(), 1024, 4 << 20);
    Configs.inRange("maxTasksPerEnvelope", c.maxTasksPerEnvelope(), 1, 10_000);
    Configs.inRange("maxBlockSizeReplaceHasWithBlock", c.maxBlockSizeReplaceHasWithBlock(), 0, 4 << 20);
    Configs.inRange("blockstoreTimeoutMillis", c.blockstoreTimeoutMillis(), 10, 600_000);
    return new EngineSettings(c.taskWorkerCount(), c.blockstoreWorkerCount(), c.maxOutstandingBytesPerPeer(),
        c.maxQueuedWantlistEntriesPerPeer(), c.targetMessageBytes(), c.maxTasksPerEnvelope(),
        c.maxBlockSizeReplaceHasWithBlock(), c.blockstoreTimeoutMillis());
  }
}
