package io.cairn.bitswap.client.internal;

import io.cairn.node.config.InvalidConfigException;

/** The validated form of {@link ClientConfig}. */
record ClientSettings(long defaultTimeoutMillis, int peerResponseTimeoutMillis, int rebroadcastIntervalMillis,
    int maxWants, int maxEntriesPerMessage, long maxPendingVerifyBytes, int verifyThreads, int inlineVerifyBytes) {
  static ClientSettings of(ClientConfig c) {
    range("defaultTimeoutMillis", c.defaultTimeoutMillis(), 1, 86_400_000);
    range("peerResponseTimeoutMillis", c.peerResponseTimeoutMillis(), 10, 600_000);
    range("rebroadcastIntervalMillis", c.rebroadcastIntervalMillis(), 100, 3_600_000);
    range("maxWants", c.maxWants(), 1, 10_000_000);
    range("maxEntriesPerMessage", c.maxEntriesPerMessage(), 1, 100_000);
    range("maxPendingVerifyBytes", c.maxPendingVerifyBytes(), 1L << 20, 4L << 30);
    range("verifyThreads", c.verifyThreads(), 1, 256);
    range("inlineVerifyBytes", c.inlineVerifyBytes(), 0, 4 << 20);
    return new ClientSettings(c.defaultTimeoutMillis(), c.peerResponseTimeoutMillis(), c.rebroadcastIntervalMillis(),
        c.maxWants(), c.maxEntriesPerMessage(), c.maxPendingVerifyBytes(), c.verifyThreads(), c.inlineVerifyBytes());
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidConfigException(key, value + " is outside [" + min + ", " + max + "]");
    }
  }
}
