package io.cairn.bitswap.network.internal;

import io.cairn.bitswap.message.MessageLimits;
import io.cairn.node.config.Configs;

/** The validated form of {@link NetworkConfig}. */
record NetworkSettings(MessageLimits limits, int sendTimeoutMillis, int minSendBytesPerSecond,
    int maxInboundStreamsPerPeer, int malformedMessagesBeforeDisconnect, int maxHeldBytesPerPeer) {
  static NetworkSettings of(NetworkConfig c) {
    Configs.inRange("maxMessageBytes", c.maxMessageBytes(), 2 * 1024 * 1024, 64 * 1024 * 1024);
    Configs.inRange("maxWantlistEntriesPerMessage", c.maxWantlistEntriesPerMessage(), 1, 1_000_000);
    Configs.inRange("maxBlocksPerMessage", c.maxBlocksPerMessage(), 1, 100_000);
    Configs.inRange("maxPresencesPerMessage", c.maxPresencesPerMessage(), 1, 1_000_000);
    Configs.inRange("maxCidBytes", c.maxCidBytes(), 34, 4096);
    Configs.inRange("sendTimeoutMillis", c.sendTimeoutMillis(), 100, 600_000);
    Configs.inRange("minSendBytesPerSecond", c.minSendBytesPerSecond(), 1024, 1 << 30);
    Configs.inRange("maxInboundStreamsPerPeer", c.maxInboundStreamsPerPeer(), 1, 1024);
    Configs.inRange("malformedMessagesBeforeDisconnect", c.malformedMessagesBeforeDisconnect(), 1, 1000);
    Configs.inRange("maxHeldBytesPerPeer", c.maxHeldBytesPerPeer(), 0, 1 << 30);
    return new NetworkSettings(
        new MessageLimits(c.maxMessageBytes(), c.maxWantlistEntriesPerMessage(), c.maxBlocksPerMessage(),
            c.maxPresencesPerMessage(), c.maxCidBytes()),
        c.sendTimeoutMillis(), c.minSendBytesPerSecond(), c.maxInboundStreamsPerPeer(),
        c.malformedMessagesBeforeDisconnect(), c.maxHeldBytesPerPeer());
  }

  /** How long writing {@code bytes} may take. */
  long sendTimeoutNanos(int bytes) {
    return (sendTimeoutMillis * 1_000_000L) + bytes * 1_000_000_000L / minSendBytesPerSecond;
  }
}
