package io.cairn.dag.internal;

import io.cairn.testing.bitswap.MemoryNetwork;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.client.internal.BitswapExchange;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.blockstore.Block;
import io.cairn.dag.DagException;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Walks that fetch: the real bitswap client and engine on two nodes joined in memory. */
class FetchWalkTest {
  /** A node: the real tiered store, a bitswap engine serving from it and a client fetching into it. */
  private static final class Peer implements AutoCloseable {
    final Store store = new Store();
    final MemoryNetwork network = new MemoryNetwork(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()));
    final BitswapEngine engine = Components.createWith(BitswapEngine.class,
        "io.cairn.bitswap.server.internal.BitswapEngineComponent", Map.of(), network, store.store, store.logger);
    final Bitswap client = Components.createWith(Bitswap.class,
        "io.cairn.bitswap.client.internal.BitswapClientComponent", Map.of(), network, store.store, store.logger);
    final BitswapExchange exchange = new BitswapExchange(client);

    Peer() {
      Components.call(engine, "bindStore", store.store);
    }

    /** Bitswap bound to the block service as its exchange, as DS binds it. */
    void online() {
      Components.call(store.blocks, "bindExchange", exchange);
    }

    @Override
    public void close() {
      Components.deactivate(client);
      Components.deactivate(engine);
      network.close();
      store.close();
    }
  }

  private final Peer holder = new Peer();
  private final Peer fetcher = new Peer();

  @AfterEach
  void close() {
    fetcher.close();
    holder.close();
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** A two-level tree in the holder's store; its blocks in depth-first pre-order. */
  private List<Cid> treeAtHolder() throws Exception {
    List<Cid> order = new ArrayList<>();
    List<Cid> mids = new ArrayList<>();
    List<List<Cid>> leavesOf = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<Cid> leaves = new ArrayList<>();
      for (int j = 0; j < 20; j++) {
        leaves.add(holder.store.raw("leaf " + i + "/" + j).cid());
      }
      mids.add(holder.store.pb(leaves, "mid " + i).cid());
      leavesOf.add(leaves);
    }
    order.add(holder.store.pb(mids, "root").cid());
    for (int i = 0; i < 5; i++) {
      order.add(mids.get(i));
      order.addAll(leavesOf.get(i));
    }
    return order;
  }

  @Test
  void aFetchingWalkGetsEveryBlockFromThePeerInDepthFirstOrderAndStoresIt() throws Exception {
    List<Cid> expected = treeAtHolder();
    MemoryNetwork.connect(fetcher.network, holder.network);
    DagServiceComponent dag = fetcher.store.dag(Map.of("concurrency", 8));
    fetcher.online();
    List<Cid> visits = Collections.synchronizedList(new ArrayList<>());
    DagWalk walk = dag.walk(List.of(expected.get(0)), WalkOptions.fetching(Duration.ofSeconds(20))
        .withOrder(WalkOptions.Order.DFS), (Block b, int depth) -> visits.add(b.cid()));
    assertEquals(expected.size(), walk.done().get(60, TimeUnit.SECONDS).blocks());
    assertEquals(expected, visits);
    for (Cid cid : expected) {
      assertTrue(fetcher.store.store.has(cid).get(), "fetched blocks are stored");
    }
  }

  /** Identity links are answered from their CID: a fetching walk never asks a peer for one. */
  @Test
  void aFetchingWalkNeverAsksPeersForIdentityBlocks() throws Exception {
    Cid empty = Cid.parse("bafkqaaa");
    Cid inline = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), "inline".getBytes(StandardCharsets.UTF_8)));
    Block leaf = holder.store.raw("fetched leaf");
    Block root = holder.store.pb(List.of(empty, leaf.cid(), inline), "root");
    List<BitswapMessage> heard = new CopyOnWriteArrayList<>();
    holder.network.receivers.add(new BitswapReceiver() {
      @Override
      public void receive(PeerId from, BitswapMessage message) {
        heard.add(message);
      }

      @Override
      public void peerConnected(PeerId peer, BitswapProtocol protocol) {}

      @Override
      public void peerDisconnected(PeerId peer) {}
    });
    MemoryNetwork.connect(fetcher.network, holder.network);
    DagServiceComponent dag = fetcher.store.dag(Map.of());
    fetcher.online();
    List<Cid> visits = Collections.synchronizedList(new ArrayList<>());
    DagWalk walk = dag.walk(List.of(root.cid(), inline), WalkOptions.fetching(Duration.ofSeconds(20))
        .withOrder(WalkOptions.Order.DFS), (Block b, int depth) -> visits.add(b.cid()));
    assertEquals(4, walk.done().get(60, TimeUnit.SECONDS).blocks());
    assertEquals(List.of(root.cid(), empty, leaf.cid(), inline), visits);
    List<Cid> wanted = heard.stream().flatMap(m -> m.wantlist().stream()).map(e -> e.cid()).toList();
    assertTrue(wanted.contains(root.cid()) && wanted.contains(leaf.cid()), wanted.toString());
    assertTrue(wanted.stream().noneMatch(c -> c.multihash().code() == Multicodec.IDENTITY.code()), wanted.toString());
  }

  @Test
  void aBlockNoPeerHasFailsTheWalkNamingIt() throws Exception {
    List<Cid> tree = treeAtHolder();
    Cid gone = tree.get(3);
    assertTrue(holder.store.store.delete(gone).get());
    MemoryNetwork.connect(fetcher.network, holder.network);
    DagServiceComponent dag = fetcher.store.dag(Map.of());
    fetcher.online();
    DagWalk walk = dag.walk(List.of(tree.get(0)), WalkOptions.fetching(Duration.ofMillis(300)), (b, d) -> true);
    ExecutionException e = assertThrows(ExecutionException.class, () -> walk.done().get(60, TimeUnit.SECONDS));
    DagException dagError = assertInstanceOf(DagException.class, e.getCause());
    assertEquals(gone, dagError.cid());
  }

  @Test
  void cancelWithdrawsTheWantsInFlight() throws Exception {
    List<Cid> tree = treeAtHolder();
    for (Cid leaf : tree.subList(2, 22)) {
      holder.store.store.delete(leaf).get();
    }
    MemoryNetwork.connect(fetcher.network, holder.network);
    DagServiceComponent dag = fetcher.store.dag(Map.of());
    fetcher.online();
    DagWalk walk = dag.walk(List.of(tree.get(0)), WalkOptions.fetching(Duration.ofMinutes(5)), (b, d) -> true);
    eventually("the fetcher wants the missing leaves", () -> !fetcher.client.wantlist().isEmpty());
    walk.cancel();
    assertThrows(CancellationException.class, () -> walk.done().join());
    eventually("the wants are withdrawn at home and at the peer", () -> fetcher.client.wantlist().isEmpty()
        && holder.engine.wantlist(fetcher.network.self).isEmpty());
  }

  @Test
  void withoutBitswapTheWalkSaysSo() throws Exception {
    List<Cid> tree = treeAtHolder();
    DagServiceComponent dag = fetcher.store.dag(Map.of());
    fetcher.online();
    Components.call(fetcher.store.blocks, "unbindExchange", fetcher.exchange);
    DagWalk walk = dag.walk(List.of(tree.get(0)), WalkOptions.fetching(Duration.ofSeconds(5)), (b, d) -> true);
    ExecutionException e = assertThrows(ExecutionException.class, () -> walk.done().get(60, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("bitswap is not running"), e.getCause().getMessage());
  }
}
