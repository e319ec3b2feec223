package io.cairn.unixfs.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import java.util.Map;
import org.osgi.service.log.Logger;

/** The real UnixFS component over the real tiered store, a real memory tier and the real batch I/O manager. */
final class Fixture implements AutoCloseable {
  final Logger log = Components.logger();
  final BatchIOManager batchio;
  final MultiTierBlockstore store;
  final BlockTier memory;
  /** The real block service over the store, with no exchange until a test binds one. */
  final BlockServiceComponent blocks;
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
    blocks = new BlockServiceComponent(store, log);
    unixfs = new UnixFsComponent(store, blocks, log, (UnixFsConfig) Components.config(UnixFsConfig.class, config));
  }

  @Override
  public void close() {
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
