package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.node.config.Configs;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * The tiered store with its default configuration over one memory tier, bound as DS binds them, for
 * benchmarks outside its package (its config type is package-private).
 */
public final class BenchTieredStore {
  private BenchTieredStore() {}

  public static TieredBlockstore overMemory(Logger log, BatchIOManager batchio, BlockTier memory) {
    TieredBlockstore store = new TieredBlockstore(log, Configs.defaults(TieredConfig.class));
    store.bindBatchIO(batchio);
    store.addTier(memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L), null);
    return store;
  }

  /** Binds a circuit breaker strategy, as DS binds the best ranked one. */
  public static void guard(TieredBlockstore store, io.cairn.node.breaker.CircuitBreakers guard, String name) {
    store.bindTierGuard(guard, Map.of(io.cairn.node.breaker.CircuitBreakers.STRATEGY, name, "service.ranking", 10,
        "service.id", 2L));
  }

  /** The store with its defaults but for {@code overrides} (TieredConfig keys), and no tier yet. */
  public static TieredBlockstore configured(Logger log, BatchIOManager batchio, Map<String, Object> overrides) {
    TieredBlockstore store = new TieredBlockstore(log, (TieredConfig) io.cairn.testing.Components.config(TieredConfig.class, overrides));
    store.bindBatchIO(batchio);
    return store;
  }

  /** Adds {@code tier} as the tier {@code name} of rank {@code rank}, as DS binds a tier service. */
  public static void addTier(TieredBlockstore store, BlockTier tier, String name, int rank, long serviceId) {
    store.addTier(tier, Map.of(BlockTier.TIER, name, BlockTier.RANK, rank, "service.id", serviceId), null);
  }

  /** The state of tier {@code name}'s circuit breaker now. */
  public static io.cairn.node.breaker.CircuitBreakers.State breakerState(TieredBlockstore store, String name) {
    return store.tierState(name);
  }

  /** Stops it, as DS does. */
  public static void close(TieredBlockstore store) {
    store.deactivate();
  }
}
