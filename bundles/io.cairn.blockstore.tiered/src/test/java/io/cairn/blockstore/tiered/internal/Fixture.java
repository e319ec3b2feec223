package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.testing.Components;
import java.util.ArrayList;
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

  /** A real memory tier of {@code capacity} bytes, bound under {@code name} at {@code rank}. */
  BlockTier memoryTier(String name, int rank, long capacity) {
    BlockTier tier = Components.create(BlockTier.class, MEMORY_TIER, logger, Map.of("capacityBytes", capacity));
    bind(tier, name, rank);
    return tier;
  }

  void bind(BlockTier tier, String name, int rank) {
    store.bindTier(tier, Map.of(BlockTier.TIER, name, BlockTier.RANK, rank, "service.id", serviceIds++));
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
      try {
        Components.deactivate(c);
      } catch (IllegalStateException e) {
        // A component without @Deactivate (the memory tier) has nothing to stop.
      }
    }
  }
}
