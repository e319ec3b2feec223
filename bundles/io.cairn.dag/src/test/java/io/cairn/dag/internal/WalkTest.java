package io.cairn.dag.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagPb;
import io.cairn.dag.DagVisitor;
import io.cairn.dag.DagWalk;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.dag.WalkOptions;
import io.cairn.dag.WalkOptions.Order;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Walks over the real tiered store, through the DAG service component as DS makes it. */
class WalkTest {
  private final Store store = new Store();
  private final Map<Cid, List<Cid>> children = new HashMap<>();

  @AfterEach
  void close() {
    store.close();
  }

  /** A tree of dag-pb nodes with raw leaves; its children recorded for the reference order. */
  private Cid tree(int depth, int fanout, String path) throws Exception {
    if (depth == 0) {
      return store.raw("leaf " + path).cid();
    }
    List<Cid> links = new ArrayList<>();
    for (int i = 0; i < fanout; i++) {
      links.add(tree(depth - 1, fanout, path + "/" + i));
    }
    Cid cid = store.pb(links, "node " + path).cid();
    children.put(cid, links);
    return cid;
  }

  /** The reference depth-first pre-order, each CID the first time only, written recursively. */
  private void preOrder(Cid cid, Set<Cid> seen, List<Cid> out) {
    if (!seen.add(cid)) {
      return;
    }
    out.add(cid);
    for (Cid child : children.getOrDefault(cid, List.of())) {
      preOrder(child, seen, out);
    }
  }

  private List<Cid> preOrder(Cid... roots) {
    List<Cid> out = new ArrayList<>();
    Set<Cid> seen = new HashSet<>();
    for (Cid root : roots) {
      preOrder(root, seen, out);
    }
    return out;
  }

  /** Records visits and fails if two ever overlap. */
  private static final class Recorder implements DagVisitor {
    final List<Cid> visits = Collections.synchronizedList(new ArrayList<>());
    final Map<Cid, Integer> depths = Collections.synchronizedMap(new HashMap<>());
    final AtomicInteger inside = new AtomicInteger();
    volatile boolean overlapped;

    @Override
    public boolean visit(Block block, int depth) {
      if (inside.incrementAndGet() != 1) {
        overlapped = true;
      }
      visits.add(block.cid());
      depths.put(block.cid(), depth);
      inside.decrementAndGet();
      return true;
    }
  }

  private static DagWalk.Result finish(DagWalk walk) throws Exception {
    return walk.done().get(60, TimeUnit.SECONDS);
  }

  private static DagException failure(DagWalk walk) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> walk.done().get(60, TimeUnit.SECONDS));
    return assertInstanceOf(DagException.class, e.getCause());
  }

  private static WalkOptions dfs() {
    return WalkOptions.local().withOrder(Order.DFS);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 32})
  void dfsVisitsInDepthFirstPreOrder(int concurrency) throws Exception {
    Cid root = tree(4, 4, "");
    Recorder r = new Recorder();
    DagWalk walk = store.dag(Map.of("concurrency", concurrency)).walk(List.of(root), dfs(), r);
    DagWalk.Result result = finish(walk);
    assertEquals(preOrder(root), r.visits);
    assertEquals(341, result.blocks());
    assertEquals(result.blocks(), walk.blocksVisited());
    assertEquals(result.bytes(), walk.bytesVisited());
    assertEquals(0, r.depths.get(root));
    assertEquals(4, r.depths.get(r.visits.get(4)), "the first leaf is 4 deep");
    assertFalse(r.overlapped);
  }

  @Test
  void dfsOrderHoldsWhenBlocksArriveOutOfOrder() throws Exception {
    Cid root = tree(3, 6, "");
    Random random = new Random(7);
    ExecutorService late = Executors.newFixedThreadPool(4);
    // The real store, its answers handed over after random delays, so reads finish in any order.
    Blockstore shuffling = new DelegatingBlockstore(store.store) {
      @Override
      public CompletableFuture<Block> get(Cid cid) {
        int delay = random.nextInt(3);
        return super.get(cid).thenApplyAsync(b -> b,
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, late));
      }
    };
    ExecutorService drains = Executors.newFixedThreadPool(2);
    try {
      Recorder r = new Recorder();
      Walk walk = new Walk(List.of(root), dfs(), new DagSettings(100, 100, 16), r, shuffling, store.blocks, drains);
      walk.start();
      finish(walk);
      assertEquals(preOrder(root), r.visits);
      assertFalse(r.overlapped);
    } finally {
      late.shutdownNow();
      drains.shutdownNow();
    }
  }

  @Test
  void anyOrderVisitsEveryBlockOnceNeverTwoAtATime() throws Exception {
    Cid root = tree(4, 5, "");
    Recorder r = new Recorder();
    finish(store.dag(Map.of()).walk(List.of(root), WalkOptions.local(), r));
    assertEquals(new HashSet<>(preOrder(root)), new HashSet<>(r.visits));
    assertEquals(781, r.visits.size());
    assertFalse(r.overlapped);
  }

  @Test
  void aBlockMetTwiceIsVisitedTheFirstTimeOnly() throws Exception {
    Block leaf = store.raw("shared leaf");
    Block shared = store.pb(List.of(leaf.cid(), leaf.cid()), "shared");
    Block a = store.pb(List.of(shared.cid(), leaf.cid()), "a");
    Block b = store.pb(List.of(leaf.cid(), shared.cid(), a.cid()), "b");
    children.put(shared.cid(), List.of(leaf.cid(), leaf.cid()));
    children.put(a.cid(), List.of(shared.cid(), leaf.cid()));
    children.put(b.cid(), List.of(leaf.cid(), shared.cid(), a.cid()));
    Recorder r = new Recorder();
    finish(store.dag(Map.of()).walk(List.of(a.cid(), b.cid(), a.cid()), dfs(), r));
    assertEquals(List.of(a.cid(), shared.cid(), leaf.cid(), b.cid()), r.visits);
    assertEquals(preOrder(a.cid(), b.cid()), r.visits);
  }

  @Test
  void maxDepthOfTheWalkStopsBelowIt() throws Exception {
    Cid root = tree(3, 3, "");
    Recorder roots = new Recorder();
    finish(store.dag(Map.of()).walk(List.of(root), dfs().withMaxDepth(0), roots));
    assertEquals(List.of(root), roots.visits);
    Recorder two = new Recorder();
    finish(store.dag(Map.of()).walk(List.of(root), dfs().withMaxDepth(1), two));
    assertEquals(4, two.visits.size());
    assertEquals(children.get(root), two.visits.subList(1, 4));
  }

  @Test
  void aVisitorThatSaysNoPrunesAndOneThatThrowsFailsTheWalk() throws Exception {
    Cid root = tree(2, 3, "");
    List<Cid> seen = Collections.synchronizedList(new ArrayList<>());
    finish(store.dag(Map.of()).walk(List.of(root), dfs(), (block, depth) -> {
      seen.add(block.cid());
      return !block.cid().equals(children.get(root).get(0));
    }));
    assertEquals(1 + 3 + 6, seen.size());

    DagException boom = new DagException(root, "visitor says no");
    DagWalk walk = store.dag(Map.of()).walk(List.of(root), dfs(), (block, depth) -> {
      throw boom;
    });
    assertEquals(boom, failure(walk));
  }

  @Test
  void aNodeOfAHundredThousandLinksIsRefused() throws Exception {
    // Identity links: 9 bytes each, so the node fits in a block (2 MiB).
    Cid leaf = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), new byte[] {1}));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] link = DagPb.encode(new PbNode(List.of(new PbLink(leaf, null, null)), null));
    for (int i = 0; i < 100_000; i++) {
      out.writeBytes(link);
    }
    byte[] bytes = out.toByteArray();
    Block wide = store.put(new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes));
    DagServiceComponent dag = store.dag(Map.of());
    DagException e = failure(dag.walk(List.of(wide.cid()), WalkOptions.local(), (b, d) -> true));
    assertEquals(wide.cid(), e.cid());
    assertTrue(e.getMessage().contains("more than 50000 links"), e.getMessage());
    assertThrows(DagException.class, () -> dag.links(wide));
  }

  /** A chain of dag-pb nodes {@code length} links long (length + 1 blocks); returns its head. */
  private Cid chain(int length) throws Exception {
    Cid next = store.raw("bottom").cid();
    for (int i = 0; i < length; i++) {
      next = store.pb(List.of(next), "link " + i).cid();
    }
    return next;
  }

  @Test
  void aChainDeeperThanMaxDepthFailsTheWalkNamingTheBlock() throws Exception {
    DagServiceComponent dag = store.dag(Map.of());
    Recorder ok = new Recorder();
    finish(dag.walk(List.of(chain(4096)), dfs(), ok));
    assertEquals(4097, ok.visits.size());

    Recorder deep = new Recorder();
    DagException e = failure(dag.walk(List.of(chain(4097)), dfs(), deep));
    assertEquals(4097, deep.visits.size());
    assertEquals(deep.visits.get(4096), e.cid());
    assertTrue(e.getMessage().contains("maxDepth 4096"), e.getMessage());
  }

  @Test
  void maxDepthIsTunedAtRuntime() throws Exception {
    DagServiceComponent dag = store.dag(Map.of());
    Cid head = chain(10);
    dag.modified((DagConfig) io.cairn.testing.Components.config(DagConfig.class, Map.of("maxDepth", 5)));
    assertEquals(5, dag.settings().maxDepth());
    failure(dag.walk(List.of(head), WalkOptions.local(), (b, d) -> true));
    dag.modified((DagConfig) io.cairn.testing.Components.config(DagConfig.class, Map.of("concurrency", 0)));
    assertEquals(5, dag.settings().maxDepth(), "an invalid value keeps the settings in force");
    assertTrue(store.log.stream().anyMatch(l -> l.contains("io.cairn.dag") && l.contains("concurrency")), store.log.toString());
    dag.modified((DagConfig) io.cairn.testing.Components.config(DagConfig.class, Map.of()));
    finish(dag.walk(List.of(head), WalkOptions.local(), (b, d) -> true));
  }

  @Test
  void anInvalidConfigurationAtActivationFallsBackToTheDefaults() {
    DagServiceComponent dag = store.dag(Map.of("maxLinksPerNode", 0));
    assertEquals(new DagSettings(50_000, 4096, 32), dag.settings());
    assertTrue(store.log.stream().anyMatch(l -> l.contains("maxLinksPerNode")), store.log.toString());
  }

  @Test
  void aMissingBlockFailsTheWalkNamingIt() throws Exception {
    Cid root = tree(2, 3, "");
    Cid gone = children.get(children.get(root).get(1)).get(2);
    assertTrue(store.store.delete(gone).get());
    DagException e = failure(store.dag(Map.of()).walk(List.of(root), dfs(), (b, d) -> true));
    assertEquals(gone, e.cid());
    assertTrue(e.getMessage().contains(gone.toString()) && e.getMessage().contains("not in the local blockstore"),
        e.getMessage());

    DagException fetching = failure(store.dag(Map.of()).walk(List.of(root), WalkOptions.fetching(Duration.ofSeconds(5)),
        (b, d) -> true));
    assertEquals(gone, fetching.cid());
    assertTrue(fetching.getMessage().contains("bitswap is not running"), fetching.getMessage());
  }

  @Test
  void identityCidsAreDecodedNeverStored() throws Exception {
    byte[] inline = "inline data".getBytes(StandardCharsets.UTF_8);
    Cid identity = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), inline));
    Block stored = store.raw("stored leaf");
    // A dag-pb node inlined in its CID, linking a stored block and an identity leaf.
    Block inlineNode = Store.pbBlock(List.of(stored.cid(), identity), "inline node");
    Cid inlineNodeCid = Cid.v1(Multicodec.DAG_PB, Multihash.of(Multicodec.IDENTITY.code(), inlineNode.data()));
    Block root = store.pb(List.of(identity, inlineNodeCid), "root");
    for (List<Cid> roots : List.of(List.of(root.cid()), List.of(inlineNodeCid))) {
      List<Cid> order = new ArrayList<>();
      Map<Cid, byte[]> seen = new HashMap<>();
      finish(store.dag(Map.of()).walk(roots, dfs(), (b, d) -> {
        order.add(b.cid());
        seen.put(b.cid(), b.data());
        return true;
      }));
      List<Cid> expected = roots.get(0).equals(root.cid())
          ? List.of(root.cid(), identity, inlineNodeCid, stored.cid())
          : List.of(inlineNodeCid, stored.cid(), identity);
      assertEquals(expected, order);
      assertEquals("inline data", new String(seen.get(identity), StandardCharsets.UTF_8));
      assertArrayEquals(inlineNode.data(), seen.get(inlineNodeCid));
    }
    try (Stream<Cid> keys = store.store.keys()) {
      assertEquals(Set.of(root.cid(), stored.cid()), keys.collect(java.util.stream.Collectors.toSet()),
          "identity blocks are never stored");
    }
  }

  @Test
  void cborAndJsonLinksAreFollowed() throws Exception {
    Block leaf = store.raw("leaf");
    Block json = store.of(Multicodec.DAG_JSON, "{\"l\":[{\"/\":\"" + leaf.cid() + "\"}]}");
    byte[] cidBytes = json.cid().toBytes();
    ByteArrayOutputStream cbor = new ByteArrayOutputStream();
    cbor.write(0xa1);
    cbor.write(0x61);
    cbor.write('j');
    cbor.write(0xd8);
    cbor.write(42);
    cbor.write(0x58);
    cbor.write(cidBytes.length + 1);
    cbor.write(0);
    cbor.writeBytes(cidBytes);
    byte[] bytes = cbor.toByteArray();
    Block root = store.put(new Block(Cid.v1(Multicodec.DAG_CBOR, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes));
    Recorder r = new Recorder();
    finish(store.dag(Map.of()).walk(List.of(root.cid()), dfs(), r));
    assertEquals(List.of(root.cid(), json.cid(), leaf.cid()), r.visits);
  }

  @Test
  void cancelEndsTheWalkAndNoVisitFollows() throws Exception {
    Cid root = tree(3, 4, "");
    CountDownLatch inFirstVisit = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger visits = new AtomicInteger();
    ExecutorService drains = Executors.newSingleThreadExecutor();
    Walk walk = new Walk(List.of(root), dfs(), new DagSettings(100, 100, 8), (b, d) -> {
      visits.incrementAndGet();
      inFirstVisit.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }, store.store, store.blocks, drains);
    walk.start();
    assertTrue(inFirstVisit.await(30, TimeUnit.SECONDS));
    walk.cancel();
    release.countDown();
    drains.shutdown();
    assertTrue(drains.awaitTermination(30, TimeUnit.SECONDS));
    assertTrue(walk.done().isCancelled());
    assertThrows(CancellationException.class, () -> walk.done().join());
    assertEquals(1, visits.get());
  }

  @Test
  void rootsAloneAndSupportsAnswerForTheCodecs() throws Exception {
    DagServiceComponent dag = store.dag(Map.of());
    assertTrue(Stream.of(Multicodec.DAG_PB, Multicodec.RAW, Multicodec.DAG_CBOR, Multicodec.DAG_JSON)
        .allMatch(c -> dag.supports(c.code())));
    assertFalse(dag.supports(Multicodec.JSON.code()));
    Block raw = store.raw("only");
    Set<Cid> seen = new LinkedHashSet<>();
    DagWalk.Result r = finish(dag.walk(List.of(raw.cid()), WalkOptions.local(), (b, d) -> seen.add(b.cid())));
    assertEquals(1, r.blocks());
    assertEquals(4, r.bytes());
    assertEquals(0, finish(dag.walk(List.of(), WalkOptions.local(), (b, d) -> true)).blocks());
  }
}
