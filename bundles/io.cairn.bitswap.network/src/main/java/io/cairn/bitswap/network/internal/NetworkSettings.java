package io.cairn.bitswap.network.internal;

import io.cairn.bitswap.message.MessageLimits;
import io.cairn.node.config.InvalidConfigException;

/** The validated form of {@link NetworkConfig}. */
record NetworkSettings(MessageLimits limits, int sendTimeoutMillis, int minSendBytesPerSecond,
    int maxInboundStreamsPerPeer, int malformedMessagesBeforeDisconnect) {
  static NetworkSettings of(NetworkConfig c) {
    range("maxMessageBytes", c.maxMessageBytes(), 2 * 1024 * 1024, 64 * 1024 * 1024);
    range("maxWantlistEntriesPerMessage", c.maxWantlistEntriesPerMessage(), 1, 1_000_000);
    range("maxBlocksPerMessage", c.maxBlocksPerMessage(), 1, 100_000);
    range("maxPresencesPerMessage", c.maxPresencesPerMessage(), 1, 1_000_000);
    range("maxCidBytes", c.maxCidBytes(), 34, 4096);
    range("sendTimeoutMillis", c.sendTimeoutMillis(), 100, 600_000);
    range("minSendBytesPerSecond", c.minSendBytesPerSecond(), 1024, 1 << 30);
    range("maxInboundStreamsPerPeer", c.maxInboundStreamsPerPeer(), 1, 1024);
    range("malformedMessagesBeforeDisconnect", c.malformedMessagesBeforeDisconnect(), 1, 1000);
    return new NetworkSettings(
        new MessageLimits(c.maxMessageBytes(), c.maxWantlistEntriesPerMessage(), c.maxBlocksPerMessage(),
            c.maxPresencesPerMessage(), c.maxCidBytes()),
        c.sendTimeoutMillis(), c.minSendBytesPerSecond(), c.maxInboundStreamsPerPeer(),
        c.malformedMessagesBeforeDisconnect());
  }

  /** How long writing {@code bytes} may take. */
  long sendTimeoutNanos(int bytes) {
    return (sendTimeoutMillis * 1_000_000L) + bytes * 1_000_000_000L / minSendBytesPerSecond;
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidConfigException(key, value + " is outside [" + min + ", " + max + "]");
    }
  }
}
