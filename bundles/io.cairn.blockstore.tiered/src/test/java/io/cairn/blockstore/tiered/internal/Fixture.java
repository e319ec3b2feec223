package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.node.NodeInfo;
import io.cairn.testing.Components;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * A tiered store over real parts, bound as DS binds them: the real BatchIOManager, real memory tiers and
 * (once on main) real file tiers. Closes everything it made.
 */
final class Fixture implements AutoCloseable {
  static final String MEMORY_TIER = "io.cairn.blockstore.memory.internal.MemoryTier";
  static final String BATCH_IO = "io.cairn.blockstore.batchio.internal.BatchIOComponent";
  static final String FILE_TIER = "io.cairn.blockstore.file.internal.FileTier";

  final List<String> log = new ArrayList<>();
  final Logger logger = Components.logger(log);
  final BatchIOManager batchio;
  final TieredBlockstore store;
  private final List<Object> components = new ArrayList<>();
  private long serviceIds = 1;

  Fixture(Map<String, Object> storeConfig) {
    this(storeConfig, Map.of());
  }

  Fixture(Map<String, Object> storeConfig, Map<String, Object> batchConfig) {
    batchio = Components.create(BatchIOManager.class, BATCH_IO, logger, batchConfig);
    components.add(batchio);
    store = new TieredBlockstore(logger, (TieredConfig) Components.config(TieredConfig.class, storeConfig));
    store.bindBatchIO(batchio);
  }

  /** Stops a component made here before the fixture closes (a tier leaving for good, then reopened). */
  void stop(Object component) {
    if (components.remove(component)) {
      Components.deactivate(component);
    }
  }

  /** A real memory tier of {@code capacity} bytes, bound under {@code name} at {@code rank}. */
  BlockTier memoryTier(String name, int rank, long capacity) {
    BlockTier tier = Components.create(BlockTier.class, MEMORY_TIER, logger, Map.of("capacityBytes", capacity));
    bind(tier, name, rank);
    return tier;
  }

  /**
   * A real file tier in {@code dir}, bound under {@code name} at {@code rank}: no free-space floor (the
   * test machine's disk is not the subject), 1 MiB segments, and the given settings over those.
   */
  BlockTier fileTier(String name, int rank, Path dir, Map<String, Object> settings) {
    BlockTier tier = openFileTier(name, rank, dir, settings);
    bind(tier, name, rank);
    return tier;
  }

  /** A real file tier in {@code dir}, not bound. */
  BlockTier openFileTier(String name, int rank, Path dir, Map<String, Object> settings) {
    Map<String, Object> config = new HashMap<>(Map.of("cairn_tier", name, "cairn_tier_rank", rank, "path", dir.toString(),
        "minFreeBytes", 0L, "segmentBytes", 1 << 20, "compactionIntervalMs", 3_600_000L));
    config.putAll(settings);
    BlockTier tier = Components.createWith(BlockTier.class, FILE_TIER, config, logger, node(dir));
    components.add(tier);
    return tier;
  }

  private static NodeInfo node(Path home) {
    return new NodeInfo() {
      @Override
      public Path home() {
        return home;
      }

      @Override
      public String version() {
        return "0.0.0";
      }

      @Override
      public String commit() {
        return "";
      }
    };
  }

  void bind(BlockTier tier, String name, int rank) {
    store.addTier(tier, Map.of(BlockTier.TIER, name, BlockTier.RANK, rank, "service.id", serviceIds++), null);
  }

  void reconfigure(Map<String, Object> storeConfig) {
    store.modified((TieredConfig) Components.config(TieredConfig.class, storeConfig));
  }

  List<String> warnings() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  static Block block(int i, int size) {
    byte[] data = new byte[size];
    for (int k = 0; k < size; k++) {
      data[k] = (byte) (i * 31 + k * 7);
    }
    data[0] = (byte) i;
    data[1] = (byte) (i >> 8);
    data[2] = (byte) (i >> 16);
    return Block.raw(data);
  }

  @Override
  public void close() {
    store.deactivate();
    for (Object c : components.reversed()) {
      Components.deactivate(c);
    }
  }
}
