package io.cairn.dag.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * The real tiered store over a real memory tier and the real batch I/O manager, as DS binds them, with the
 * DAG service over it; and builders of dag-pb, dag-cbor and dag-json blocks stored in it.
 */
final class Store implements AutoCloseable {
  final List<String> log = new ArrayList<>();
  final Logger logger = Components.logger(log);
  final BatchIOManager batchio;
  final MultiTierBlockstore store;
  /** The real block service over the store, with no exchange until a test binds one. */
  final BlockServiceComponent blocks;
  private final List<Object> services = new ArrayList<>();

  Store() {
    batchio = Components.create(BatchIOManager.class, "io.cairn.blockstore.batchio.internal.BatchIOComponent", logger,
        Map.of());
    store = Components.create(MultiTierBlockstore.class, "io.cairn.blockstore.tiered.internal.TieredBlockstore", logger,
        Map.of());
    Components.call(store, "bindBatchIO", batchio);
    BlockTier memory = Components.create(BlockTier.class, "io.cairn.blockstore.memory.internal.MemoryTier", logger,
        Map.of("capacityBytes", 512L << 20));
    Components.call(store, "addTier", memory, Map.of(BlockTier.TIER, BlockTier.MEMORY, BlockTier.RANK, 0, "service.id",
        1L), null);
    blocks = new BlockServiceComponent(store, logger);
  }

  /** The DAG service over this store, configured with {@code config} (the OCD's defaults for the rest). */
  DagServiceComponent dag(Map<String, Object> config) {
    DagServiceComponent dag = (DagServiceComponent) Components.createWith(DagService.class,
        DagServiceComponent.class.getName(), config, store, blocks, logger);
    services.add(dag);
    return dag;
  }

  Block put(Block block) throws Exception {
    store.put(block).get();
    return block;
  }

  /** A stored dag-pb node of {@code links} (unnamed, as file chunks are) and {@code data}. */
  Block pb(List<Cid> links, String data) throws Exception {
    return put(pbBlock(links, data));
  }

  static Block pbBlock(List<Cid> links, String data) {
    List<PbLink> pbLinks = links.stream().map(c -> new PbLink(c, "", 1L)).toList();
    byte[] bytes = DagPb.encode(new PbNode(pbLinks, data.getBytes(StandardCharsets.UTF_8)));
    return new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
  }

  Block raw(String data) throws Exception {
    return put(Block.raw(data.getBytes(StandardCharsets.UTF_8)));
  }

  Block of(Multicodec codec, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return put(new Block(Cid.v1(codec, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes));
  }

  @Override
  public void close() {
    services.forEach(Components::deactivate);
    Components.deactivate(store);
    Components.deactivate(batchio);
  }
}
