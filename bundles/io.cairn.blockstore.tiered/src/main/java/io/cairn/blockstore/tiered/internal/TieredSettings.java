package io.cairn.blockstore.tiered.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.util.Locale;

/** The validated form of {@link TieredConfig}. */
record TieredSettings(int maxBlockSize, boolean hashOnRead, Promotion promotion, boolean cacheOnPut, String writeTier,
    double highWater, double lowWater, long demotionIntervalMs) {

  /** What a read that finds a block below the first tier does with it. */
  enum Promotion {
    /** Copy it into the memory tier (the read cache). */
    MEMORY,
    /** Copy it into the memory tier and move it into the write tier. */
    UP,
    NONE
  }

  static TieredSettings of(TieredConfig c) {
    int maxBlockSize = (int) Configs.inRange("maxBlockSize", c.maxBlockSize(), 1024, 64 << 20);
    Promotion promotion = switch (c.promotion().trim().toLowerCase(Locale.ROOT)) {
      case "memory" -> Promotion.MEMORY;
      case "up" -> Promotion.UP;
      case "none" -> Promotion.NONE;
      default -> throw new InvalidConfigException("promotion", "\"" + c.promotion() + "\" is not one of memory, up, none");
    };
    double high = c.demotionHighWater();
    double low = c.demotionLowWater();
    if (!(high >= 0.01 && high <= 1.0)) {
      throw new InvalidConfigException("demotionHighWater", high + " is outside [0.01, 1.0]");
    }
    if (!(low >= 0.0 && low < high)) {
      throw new InvalidConfigException("demotionLowWater", low + " must be at least 0 and below demotionHighWater (" + high + ")");
    }
    long interval = Configs.inRange("demotionIntervalMs", c.demotionIntervalMs(), 10, 3_600_000);
    return new TieredSettings(maxBlockSize, c.hashOnRead(), promotion, c.cacheOnPut(), c.writeTier().trim(), high, low,
        interval);
  }
}
