package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.node.NodeInfo;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import java.nio.file.Path;
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
  /** The real block service over the store, with no exchange until a test binds one. */
  final BlockServiceComponent blocks;
  private final List<BlockTier> tiers = new ArrayList<>();
  private final List<BlockTier> files = new ArrayList<>();
  private long serviceIds = 1;

  RealStore(Map<String, Object> storeConfig) {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger, Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        storeConfig);
    Components.call(store, "bindBatchIO", batchio);
    memory = memoryTier(BlockTier.MEMORY, 0, 64L << 20);
    blocks = new BlockServiceComponent(store, logger);
  }

  /** block/get over this store, configured with {@code config} (the OCD's defaults for the rest). */
  BlockCommands.Get get(Map<String, Object> config) {
    return new BlockCommands.Get(store, blocks, logger, (BlockGetConfig) Components.config(BlockGetConfig.class, config));
  }

  BlockCommands.Get get() {
    return get(Map.of());
  }

  /** A real file tier in {@code dir} (its node home too), bound under {@code name} at {@code rank}. */
  BlockTier fileTier(String name, int rank, Path dir, long capacity) {
    BlockTier tier = Components.createWith(BlockTier.class, "io.cairn.blockstore.file.internal.FileTier",
        Map.of("cairn_tier", name, "cairn_tier_rank", rank, "path", dir.toString(), "capacityBytes", capacity,
            "minFreeBytes", 0L, "segmentBytes", 1 << 20), logger, node(dir));
    files.add(tier);
    bind(tier, name, rank);
    return tier;
  }

  static NodeInfo node(Path home) {
    return new NodeInfo() {
      @Override
      public Path home() {
        return home;
      }

      @Override
      public String version() {
        return "0.1.0";
      }

      @Override
      public String commit() {
        return "";
      }
    };
  }

  BlockTier memoryTier(String name, int rank, long capacity) {
    BlockTier tier = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", capacity));
    bind(tier, name, rank);
    return tier;
  }

  void bind(BlockTier tier, String name, int rank) {
    tiers.add(tier);
    Components.call(store, "addTier", tier, properties(name, rank), null);
  }

  Map<String, Object> properties(String name, int rank) {
    return Map.of(BlockTier.TIER, name, BlockTier.RANK, rank, "service.id", serviceIds++);
  }

  /** Lets the memory tiers settle their sizes (Caffeine weighs entries lazily), for exact stats. */
  void settle() {
    tiers.stream().filter(t -> !files.contains(t)).forEach(t -> Components.call(t, "cleanUp"));
  }

  /** How many blocks the store holds, counted in every tier: nothing stored means zero. */
  long storedBlocks() {
    return tiers.stream().mapToLong(t -> t.keys().count()).sum();
  }

  @Override
  public void close() {
    Components.deactivate(store);
    Components.deactivate(batchio);
    files.forEach(Components::deactivate);
  }
}
