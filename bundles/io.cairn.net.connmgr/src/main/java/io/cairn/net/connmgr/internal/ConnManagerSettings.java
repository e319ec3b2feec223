package io.cairn.net.connmgr.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.time.Duration;

/** The validated {@link ConnManagerConfig}. */
record ConnManagerSettings(int highWater, int lowWater, Duration gracePeriod, Duration silencePeriod, int maxInbound) {
  static ConnManagerSettings of(ConnManagerConfig c) {
    int high = (int) Configs.inRange("highWater", c.highWater(), 2, 1_000_000);
    int low = (int) Configs.inRange("lowWater", c.lowWater(), 1, 999_999);
    if (low >= high) {
      throw new InvalidConfigException("lowWater", low + " is not below highWater (" + high + ")");
    }
    int inbound = (int) Configs.inRange("maxInboundConnections", c.maxInboundConnections(), 0, 1_000_000);
    if (inbound != 0 && inbound < high) {
      throw new InvalidConfigException("maxInboundConnections",
          inbound + " is below highWater (" + high + "): inbound peers would be refused before a trim could make room");
    }
    return new ConnManagerSettings(high, low,
        Duration.ofSeconds(Configs.inRange("gracePeriodSeconds", c.gracePeriodSeconds(), 0, 86_400)),
        Duration.ofSeconds(Configs.inRange("silencePeriodSeconds", c.silencePeriodSeconds(), 1, 3_600)),
        inbound == 0 ? (int) Math.min(1_000_000, 2L * high) : inbound);
  }
}
