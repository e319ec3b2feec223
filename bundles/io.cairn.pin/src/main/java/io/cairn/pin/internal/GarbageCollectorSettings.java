package io.cairn.pin.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;

/** The validated form of {@link GarbageCollectorConfig}. */
record GarbageCollectorSettings(int lockStripes, int sweepConcurrency, int markRootsPerWalk) {
  static GarbageCollectorSettings of(GarbageCollectorConfig c) {
    Configs.inRange("lockStripes", c.lockStripes(), 1, 65_536);
    if (Integer.bitCount(c.lockStripes()) != 1) {
      throw new InvalidConfigException("lockStripes", c.lockStripes() + " is not a power of two");
    }
    Configs.inRange("sweepConcurrency", c.sweepConcurrency(), 1, 4096);
    Configs.inRange("markRootsPerWalk", c.markRootsPerWalk(), 1, 65_536);
    return new GarbageCollectorSettings(c.lockStripes(), c.sweepConcurrency(), c.markRootsPerWalk());
  }
}
