package io.cairn.libp2p.yamux.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.netty.channel.WriteBufferWaterMark;

/** The validated, immutable form of {@link YamuxConfig}; a session keeps the settings it started with. */
record YamuxSettings(int maxStreams, int maxAckBacklog, int maxReceiveWindow, long maxConnectionReceiveWindow,
    int maxFrameLength, WriteBufferWaterMark writeQueue, int pingReplyQueue,
    long streamCloseTimeoutMillis, long writeTimeoutMillis) {

  static YamuxSettings of(YamuxConfig config) {
    int high = (int) Configs.inRange("writeQueueHighWater", config.writeQueueHighWater(), 1024, 1 << 30);
    int low = (int) Configs.inRange("writeQueueLowWater", config.writeQueueLowWater(), 0, 1 << 30);
    if (low > high) {
      throw new InvalidConfigException("writeQueueLowWater", low + " is above writeQueueHighWater " + high);
    }
    return new YamuxSettings(
        (int) Configs.inRange("maxStreams", config.maxStreams(), 1, 100_000),
        (int) Configs.inRange("maxAckBacklog", config.maxAckBacklog(), 1, 4096),
        (int) Configs.inRange("maxReceiveWindow", config.maxReceiveWindow(), YamuxFrame.INITIAL_WINDOW, 1 << 30),
        Configs.inRange("maxConnectionReceiveWindow", config.maxConnectionReceiveWindow(), 16L << 20, Integer.MAX_VALUE),
        (int) Configs.inRange("maxFrameLength", config.maxFrameLength(), 1024, 16 << 20),
        new WriteBufferWaterMark(low, high),
        (int) Configs.inRange("pingReplyQueue", config.pingReplyQueue(), 1, 1024),
        Configs.inRange("streamCloseTimeout", config.streamCloseTimeout(), 100, 3_600_000),
        Configs.inRange("writeTimeout", config.writeTimeout(), 100, 600_000));
  }

  static YamuxSettings defaults() {
    return of(Configs.defaults(YamuxConfig.class));
  }
}
