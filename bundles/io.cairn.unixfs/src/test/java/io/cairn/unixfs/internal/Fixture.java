package io.cairn.unixfs.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.testing.Components;
import java.util.Map;
import org.osgi.service.log.Logger;

/** The real UnixFS component over the real tiered store, a real memory tier and the real batch I/O manager. */
final class Fixture implements AutoCloseable {
  final Logger log = Components.logger();
  final BatchIOManager batchio;
  final MultiTierBlockstore store;
  final BlockTier memory;
  final UnixFsComponent unixfs;

  Fixture() {
    this(Map.of());
  }

  Fixture(Map<String, Object> config) {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", log, Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", log,
        Map.of());
    Components.call(store, "bindBatchIO", batchio);
    memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", log,
        Map.of("capacityBytes", 512L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L),
        null);
    unixfs = new UnixFsComponent(store, log, (UnixFsConfig) Components.config(UnixFsConfig.class, config));
  }

  @Override
  public void close() {
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
