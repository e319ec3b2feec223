package io.cairn.bitswap.client.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;

/** The validated form of {@link ClientConfig}. */
record ClientSettings(long defaultTimeoutMillis, int peerResponseTimeoutMillis, int rebroadcastIntervalMillis,
    int rebroadcastMaxIntervalMillis, int rebroadcastJitterPercent,
    int maxWants, int maxEntriesPerMessage, long maxPendingVerifyBytes, int verifyThreads, int inlineVerifyBytes,
    boolean adaptiveWindow, int windowMin, int windowMax, double windowGain,
    int sendBatchEntries, int sendDelayPerPeerMicros, int sendDelayMinMillis, int sendDelayMaxMillis) {
  static ClientSettings of(ClientConfig c) {
    Configs.inRange("defaultTimeoutMillis", c.defaultTimeoutMillis(), 1, 86_400_000);
    Configs.inRange("peerResponseTimeoutMillis", c.peerResponseTimeoutMillis(), 10, 600_000);
    Configs.inRange("rebroadcastIntervalMillis", c.rebroadcastIntervalMillis(), 100, 3_600_000);
    Configs.inRange("rebroadcastMaxIntervalMillis", c.rebroadcastMaxIntervalMillis(), c.rebroadcastIntervalMillis(),
        3_600_000);
    Configs.inRange("rebroadcastJitterPercent", c.rebroadcastJitterPercent(), 0, 100);
    Configs.inRange("maxWants", c.maxWants(), 1, 10_000_000);
    Configs.inRange("maxEntriesPerMessage", c.maxEntriesPerMessage(), 1, 100_000);
    Configs.inRange("maxPendingVerifyBytes", c.maxPendingVerifyBytes(), 1L << 20, 4L << 30);
    Configs.inRange("verifyThreads", c.verifyThreads(), 1, 256);
    Configs.inRange("inlineVerifyBytes", c.inlineVerifyBytes(), 0, 4 << 20);
    boolean adaptive = switch (c.windowMode() == null ? "" : c.windowMode().trim()) {
      case "adaptive" -> true;
      case "static" -> false;
      default -> throw new InvalidConfigException("windowMode", "must be adaptive or static, not '" + c.windowMode() + "'");
    };
    Configs.inRange("windowMin", c.windowMin(), 1, 65_536);
    Configs.inRange("windowMax", c.windowMax(), c.windowMin(), 65_536);
    if (!(c.windowGain() >= 1 && c.windowGain() <= 8)) {
      throw new InvalidConfigException("windowGain", c.windowGain() + " is outside [1, 8]");
    }
    Configs.inRange("sendBatchEntries", c.sendBatchEntries(), 1, 100_000);
    Configs.inRange("sendDelayPerPeerMicros", c.sendDelayPerPeerMicros(), 0, 1_000_000);
    Configs.inRange("sendDelayMinMillis", c.sendDelayMinMillis(), 0, 60_000);
    Configs.inRange("sendDelayMaxMillis", c.sendDelayMaxMillis(), c.sendDelayMinMillis(), 60_000);
    return new ClientSettings(c.defaultTimeoutMillis(), c.peerResponseTimeoutMillis(), c.rebroadcastIntervalMillis(),
        c.rebroadcastMaxIntervalMillis(), c.rebroadcastJitterPercent(),
        c.maxWants(), c.maxEntriesPerMessage(), c.maxPendingVerifyBytes(), c.verifyThreads(), c.inlineVerifyBytes(),
        adaptive, c.windowMin(), c.windowMax(), c.windowGain(),
        c.sendBatchEntries(), c.sendDelayPerPeerMicros(), c.sendDelayMinMillis(), c.sendDelayMaxMillis());
  }

  /** The wait after a message to a peer before the next (boxo's per-peer delay times peers, clamped). */
  long sendDelayNanos(int peers) {
    long delay = (long) peers * sendDelayPerPeerMicros * 1_000L;
    return Math.max(sendDelayMinMillis * 1_000_000L, Math.min(sendDelayMaxMillis * 1_000_000L, delay));
  }
}
