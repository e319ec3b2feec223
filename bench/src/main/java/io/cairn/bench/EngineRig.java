package io.cairn.bench;

import io.cairn.bitswap.server.internal.BitswapEngineComponent;
import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.batchio.internal.BatchIOComponent;
import io.cairn.blockstore.batchio.internal.BenchBatchIO;
import io.cairn.blockstore.memory.internal.BenchMemoryTier;
import io.cairn.blockstore.tiered.internal.BenchTieredStore;
import io.cairn.blockstore.tiered.internal.TieredBlockstore;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import io.cairn.testing.bitswap.MemoryNetwork;
import io.cairn.testing.blockstore.FaultyTier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * What the single-process engine runs (SlowTierRun, OverloadRun) stand on: the real tiered store whose one
 * tier is a memory tier behind a {@link FaultyTier} (named ssd, so that its breaker and promotion rules are
 * a persistent tier's), holding {@code count} raw blocks of {@code size} bytes; and the real bitswap engine
 * over it, on an in-memory network its peers join.
 */
final class EngineRig implements AutoCloseable {
  final Logger log = Components.logger();
  final BatchIOComponent batchio = BenchBatchIO.withDefaults(log);
  final TieredBlockstore store = BenchTieredStore.configured(log, batchio, Map.of("promotion", "none",
      "demotionIntervalMs", 3_600_000L));
  final FaultyTier tier = new FaultyTier(BenchMemoryTier.withDefaults(log));
  final List<Block> blocks = new ArrayList<>();
  final MemoryNetwork network = new MemoryNetwork(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()));
  final BitswapEngineComponent engine;
  private boolean engineStopped;

  /** @param engineConfig the engine's configuration, over its defaults */
  EngineRig(int count, int size, Map<String, Object> engineConfig) {
    BenchTieredStore.addTier(store, tier, "ssd", 100, 1L);
    TestBlocks content = new TestBlocks(size);
    for (int i = 0; i < count; i++) {
      Block b = Block.raw(content.data(i));
      blocks.add(b);
      tier.put(b).join();
    }
    engine = (BitswapEngineComponent) Components.createWith(Object.class, BitswapEngineComponent.class.getName(),
        engineConfig, network, store, log);
  }

  /** The limits strategy named {@code static} or {@code adaptive}, with its defaults. */
  BitswapLimits limits(String name) {
    return switch (name) {
      case "static" -> Components.createWith(BitswapLimits.class, "io.cairn.bitswap.fixed.internal.StaticLimits", Map.of(), log);
      case "adaptive" -> Components.createWith(BitswapLimits.class, "io.cairn.bitswap.adaptive.internal.AdaptiveLimits",
          Map.of(), log);
      default -> throw new IllegalArgumentException("--limits is static or adaptive, not " + name);
    };
  }

  /** Binds {@code strategy} to the engine's reference {@code reference} (priority, limits, batch), as DS would. */
  void bind(String reference, Object strategy, String name) {
    String method = "bind" + Character.toUpperCase(reference.charAt(0)) + reference.substring(1);
    Components.call(engine, method, strategy, Map.of("cairn.strategy", name, "service.ranking", 10, "service.id", 2L));
  }

  /** Stops the engine and its network (the store stays, for what a run measures of the tier alone). */
  void stopEngine() {
    if (!engineStopped) {
      engineStopped = true;
      Components.deactivate(engine);
      network.close();
    }
  }

  @Override
  public void close() {
    stopEngine();
    BenchTieredStore.close(store);
    BenchBatchIO.close(batchio);
  }
}
