package io.cairn.bitswap.commands.internal;

import io.cairn.testing.bitswap.MemoryNetwork;
import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.osgi.service.log.Logger;

/**
 * A node's real bitswap as DS composes it: the engine and the client over the real tiered store on a real
 * memory tier, both receiving from a {@link MemoryNetwork}.
 */
final class Node implements AutoCloseable {
  final List<String> log = new ArrayList<>();
  final Logger logger = Components.logger(log);
  final PeerId id = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  final MemoryNetwork network = new MemoryNetwork(id);
  final BatchIOManager batchio;
  final MultiTierBlockstore store;
  final BitswapEngine engine;
  final Bitswap client;

  Node() {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger, Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        Map.of());
    Components.call(store, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", 64L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L),
        null);
    engine = Components.createWith(BitswapEngine.class, "io.cairn.bitswap.server.internal.BitswapEngineComponent", Map.of(),
        network, store, logger);
    client = Components.createWith(Bitswap.class, "io.cairn.bitswap.client.internal.BitswapClientComponent", Map.of(),
        network, store, logger);
    Components.call(engine, "bindStore", store);
  }

  /**
   * Waits for state that other threads settle (a send's completion is counted after the receiver has the
   * block); fails the test if it never comes.
   */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    Components.deactivate(client);
    Components.deactivate(engine);
    network.close();
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
