package io.cairn.blockstore.memory.internal;

import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** The memory tier with its default configuration, for benchmarks outside its package (its config type is package-private). */
public final class BenchMemoryTier {
  private BenchMemoryTier() {}

  public static MemoryTier withDefaults(Logger log) {
    return new MemoryTier(log, Configs.defaults(MemoryTierConfig.class), Runtime.getRuntime().maxMemory());
  }
}
