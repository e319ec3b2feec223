package io.cairn.bitswap.client.internal;

import io.cairn.node.config.Configs;

/** The validated form of {@link ClientConfig}. */
record ClientSettings(long defaultTimeoutMillis, int peerResponseTimeoutMillis, int rebroadcastIntervalMillis,
    int maxWants, int maxEntriesPerMessage, long maxPendingVerifyBytes, int verifyThreads, int inlineVerifyBytes) {
  static ClientSettings of(ClientConfig c) {
    Configs.inRange("defaultTimeoutMillis", c.defaultTimeoutMillis(), 1, 86_400_000);
    Configs.inRange("peerResponseTimeoutMillis", c.peerResponseTimeoutMillis(), 10, 600_000);
    Configs.inRange("rebroadcastIntervalMillis", c.rebroadcastIntervalMillis(), 100, 3_600_000);
    Configs.inRange("maxWants", c.maxWants(), 1, 10_000_000);
    Configs.inRange("maxEntriesPerMessage", c.maxEntriesPerMessage(), 1, 100_000);
    Configs.inRange("maxPendingVerifyBytes", c.maxPendingVerifyBytes(), 1L << 20, 4L << 30);
    Configs.inRange("verifyThreads", c.verifyThreads(), 1, 256);
    Configs.inRange("inlineVerifyBytes", c.inlineVerifyBytes(), 0, 4 << 20);
    return new ClientSettings(c.defaultTimeoutMillis(), c.peerResponseTimeoutMillis(), c.rebroadcastIntervalMillis(),
        c.maxWants(), c.maxEntriesPerMessage(), c.maxPendingVerifyBytes(), c.verifyThreads(), c.inlineVerifyBytes());
  }
}
