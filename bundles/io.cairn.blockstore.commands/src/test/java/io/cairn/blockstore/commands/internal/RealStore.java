package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/** The real tiered store over a real memory tier and the real batch I/O manager, bound as DS binds them. */
final class RealStore implements AutoCloseable {
  final List<String> log = new ArrayList<>();
  final Logger logger = Components.logger(log);
  final BatchIOManager batchio;
  final MultiTierBlockstore store;
  final BlockTier memory;
  private final List<BlockTier> tiers = new ArrayList<>();
  private long serviceIds = 1;

  RealStore(Map<String, Object> storeConfig) {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger, Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        storeConfig);
    Components.call(store, "bindBatchIO", batchio);
    memory = memoryTier(BlockTier.MEMORY, 0, 64L << 20);
  }

  BlockTier memoryTier(String name, int rank, long capacity) {
    BlockTier tier = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", capacity));
    bind(tier, name, rank);
    return tier;
  }

  void bind(BlockTier tier, String name, int rank) {
    tiers.add(tier);
    Components.call(store, "bindTier", tier, properties(name, rank));
  }

  Map<String, Object> properties(String name, int rank) {
    return Map.of(BlockTier.TIER, name, BlockTier.RANK, rank, "service.id", serviceIds++);
  }

  /** Lets the memory tiers settle their sizes (Caffeine weighs entries lazily), for exact stats. */
  void settle() {
    tiers.forEach(t -> Components.call(t, "cleanUp"));
  }

  /** How many blocks the store holds, counted in every tier: nothing stored means zero. */
  long storedBlocks() {
    return tiers.stream().mapToLong(t -> t.keys().count()).sum();
  }

  @Override
  public void close() {
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
