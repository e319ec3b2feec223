package io.cairn.car.commands.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/** The real tiered store over a real memory tier and the real batch I/O manager, bound as DS binds them. */
public final class TestStore implements AutoCloseable {
  public final List<String> log = new ArrayList<>();
  public final Logger logger = Components.logger(log);
  public final BatchIOManager batchio;
  public final MultiTierBlockstore store;
  public final BlockTier memory;

  public TestStore() {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger, Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        Map.of());
    Components.call(store, "bindBatchIO", batchio);
    memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", 256L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L), null);
  }

  /** How many blocks the store holds. */
  public long storedBlocks() {
    return memory.keys().count();
  }

  @Override
  public void close() {
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
