package io.cairn.dag.commands.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagPb;
import io.cairn.dag.DagService;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * The real tiered store over a real memory tier and the real batch I/O manager, and the real DAG service
 * and block service over it, bound as DS binds them; {@link #peers} stands for the network they fetch from.
 */
public final class TestStore implements AutoCloseable {
  public final List<String> log = new ArrayList<>();
  public final Logger logger = Components.logger(log);
  public final BatchIOManager batchio;
  public final MultiTierBlockstore store;
  public final BlockTier memory;
  /** The real block service over the store, {@link #peers} bound as its exchange. */
  public final BlockService blocks;
  public final DagService dag;
  public final Peers peers;

  public TestStore() {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger, Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        Map.of());
    Components.call(store, "bindBatchIO", batchio);
    memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", 256L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id", 1L), null);
    blocks = new BlockServiceComponent(store, logger);
    peers = new Peers(store);
    Components.call(blocks, "bindExchange", peers);
    dag = Components.createWith(DagService.class, "io.cairn.dag.internal.DagServiceComponent", Map.of(), store, blocks,
        logger);
  }

  /** How many blocks the store holds. */
  public long storedBlocks() {
    return memory.keys().count();
  }

  /** A dag-pb node (CIDv1) with {@code data} linking to {@code links}, unnamed, as the dag-pb codec writes it. */
  public static Block pbNode(byte[] data, List<Cid> links) {
    byte[] bytes = DagPb.encode(new PbNode(links.stream().map(c -> new PbLink(c, null, null)).toList(), data));
    return new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
  }

  @Override
  public void close() {
    Components.deactivate(dag);
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
