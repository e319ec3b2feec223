package io.cairn.pin.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagService;
import io.cairn.multiformats.Cid;
import io.cairn.node.NodeInfo;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * A node's storage for these tests, all real parts bound as DS binds them: the batch I/O manager, the
 * tiered store over a memory tier and a file tier in {@code home}, and the pinner (and collector) over
 * them with {@link TestDag} as the walker. Shared with the command tests (io.cairn.pin's test jar).
 */
public final class Node implements AutoCloseable {
  public final List<String> log = new ArrayList<>();
  public final Logger logger = Components.logger(log);
  public final Path home;
  public final BatchIOManager batchio;
  public final MultiTierBlockstore blocks;
  public final BlockTier file;
  /** The test walker: remote blocks and gates (the walker pins use unless {@link #withRealWalker}). */
  public final TestDag dag;
  /** The walker the pinner and collector use. */
  public final DagService walker;
  public PinnerComponent pinner;
  public GarbageCollectorComponent gc;

  public Node(Path home) {
    this(home, Map.of(), Map.of());
  }

  public Node(Path home, Map<String, Object> pinnerConfig, Map<String, Object> gcConfig) {
    this(home, pinnerConfig, gcConfig, false);
  }

  /** A node whose pinner and collector walk with the real DAG service (io.cairn.dag; no bitswap: local blocks only). */
  public static Node withRealWalker(Path home) {
    return new Node(home, Map.of(), Map.of(), true);
  }

  private Node(Path home, Map<String, Object> pinnerConfig, Map<String, Object> gcConfig, boolean realWalker) {
    this.home = home;
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger,
        Map.of());
    blocks = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        Map.of());
    Components.call(blocks, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", 16L << 20));
    Components.call(blocks, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L),
        null);
    file = Components.createWith(BlockTier.class, "io.cairn.blockstore.file.internal.FileTier",
        Map.of("cairn_tier", "ssd", "cairn_tier_rank", 100, "minFreeBytes", 0L, "segmentBytes", 1 << 20), logger,
        info(home));
    Components.call(blocks, "addTier", file, Map.of(BlockTier.TIER, "ssd", BlockTier.RANK, 100, "service.id", 2L), null);
    dag = new TestDag(blocks);
    walker = realWalker
        ? Components.createWith(DagService.class, "io.cairn.dag.internal.DagServiceComponent", Map.of(), blocks,
            new BlockServiceComponent(blocks, logger), logger)
        : dag;
    pinner = pinner(pinnerConfig);
    gc = new GarbageCollectorComponent(logger, blocks, walker, pinner,
        (GarbageCollectorConfig) Components.config(GarbageCollectorConfig.class, gcConfig));
  }

  PinnerComponent pinner(Map<String, Object> config) {
    try {
      return new PinnerComponent(logger, info(home), blocks, walker,
          (PinnerConfig) Components.config(PinnerConfig.class, config));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Stops the pinner and starts a new one over the same home, as a restart would. */
  void restartPinner() {
    pinner.deactivate();
    pinner = pinner(Map.of());
  }

  static NodeInfo info(Path home) {
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

  public boolean has(Cid cid) {
    return blocks.has(cid).join();
  }

  public void put(Block... bs) {
    blocks.putMany(List.of(bs)).join();
  }

  /** Offers the blocks to fetches only (not stored locally). */
  public void remote(Block... bs) {
    for (Block b : bs) {
      dag.remote.put(b.cid(), b);
    }
  }

  @Override
  public void close() {
    gc.deactivate();
    pinner.deactivate();
    if (walker != dag) {
      Components.deactivate(walker);
    }
    Components.deactivate(blocks);
    Components.deactivate(batchio);
    Components.deactivate(file);
  }
}
