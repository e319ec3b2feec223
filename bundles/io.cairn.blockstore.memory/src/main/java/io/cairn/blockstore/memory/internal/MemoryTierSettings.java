package io.cairn.blockstore.memory.internal;

import io.cairn.node.config.InvalidConfigException;

/** The validated form of {@link MemoryTierConfig} against the heap this JVM has. */
record MemoryTierSettings(long capacityBytes, double maxHeapShare) {
  static MemoryTierSettings of(MemoryTierConfig c, long maxHeap) {
    double share = c.maxHeapShare();
    if (!(share >= 0.01 && share <= 0.9)) {
      throw new InvalidConfigException("maxHeapShare", share + " is outside [0.01, 0.9]");
    }
    if (c.capacityBytes() < 0) {
      throw new InvalidConfigException("capacityBytes", c.capacityBytes() + " is negative");
    }
    long limit = (long) (maxHeap * share);
    if (c.capacityBytes() > limit) {
      throw new InvalidConfigException("capacityBytes", c.capacityBytes() + " bytes exceeds maxHeapShare " + share
          + " of the " + maxHeap + "-byte maximum heap (" + limit + " bytes); raise -Xmx or lower the capacity");
    }
    return new MemoryTierSettings(c.capacityBytes(), share);
  }

  /** When even the defaults do not fit this heap: the largest capacity the share allows. */
  static MemoryTierSettings fitted(MemoryTierConfig defaults, long maxHeap) {
    return new MemoryTierSettings((long) (maxHeap * defaults.maxHeapShare()), defaults.maxHeapShare());
  }
}
