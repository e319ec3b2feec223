package io.cairn.dag.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.memory.internal.BenchMemoryTier;
import io.cairn.blockstore.memory.internal.MemoryTier;
import io.cairn.dag.DagPb;
import io.cairn.dag.DagWalk;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.service.log.Logger;

/**
 * A local walk of a 10,000-block DAG (a two-level tree of dag-pb nodes of 174 links, raw 1 KiB leaves, as a
 * Kubo file is shaped) in the memory tier, against, in the same run, plain gets of the same CIDs from the
 * same tier, one after another and {@code concurrency} at a time. What the walker costs beyond the gets is
 * link reading, the visited set, ordering and its hand-offs between threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DagWalkBench {
  static final int FANOUT = 174;
  static final int BLOCKS = 10_000;

  @Param({"DFS", "ANY"})
  public WalkOptions.Order order;

  @Param({"32"})
  public int concurrency;

  private MemoryTier tier;
  private ExecutorService drains;
  private Cid root;
  private Cid[] cids;

  @Setup
  public void setup() {
    Logger silent = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
    tier = BenchMemoryTier.withDefaults(silent);
    drains = Executors.newFixedThreadPool(2);
    List<Cid> all = new ArrayList<>();
    List<Cid> level1 = new ArrayList<>();
    List<PbLink> leaves = new ArrayList<>();
    int leafCount = 0;
    // Leaves and their parents until the tree has BLOCKS blocks with the root.
    while (all.size() + 1 < BLOCKS) {
      byte[] data = new byte[1024];
      ByteBuffer.wrap(data).putInt(leafCount++);
      Block leaf = Block.raw(data);
      tier.put(leaf).join();
      all.add(leaf.cid());
      leaves.add(new PbLink(leaf.cid(), "", 1024L));
      if (leaves.size() == FANOUT || all.size() + 2 >= BLOCKS) {
        Block parent = pb(leaves);
        all.add(parent.cid());
        level1.add(parent.cid());
        leaves = new ArrayList<>();
      }
    }
    Block top = pb(level1.stream().map(c -> new PbLink(c, "", 1L)).toList());
    all.add(top.cid());
    root = top.cid();
    cids = all.toArray(Cid[]::new);
    long walked = walk().blocks();
    if (cids.length != BLOCKS || walked != BLOCKS) {
      throw new IllegalStateException("the DAG has " + cids.length + " blocks and the walk visits " + walked
          + ", not " + BLOCKS);
    }
  }

  private Block pb(List<PbLink> links) {
    byte[] bytes = DagPb.encode(new PbNode(links, new byte[] {0x08, 0x02}));
    Block block = new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
    tier.put(block).join();
    return block;
  }

  @TearDown
  public void tearDown() {
    drains.shutdownNow();
  }

  @Benchmark
  public DagWalk.Result walk() {
    Walk walk = new Walk(List.of(root), WalkOptions.local().withOrder(order), new DagSettings(50_000, 4096, concurrency),
        (block, depth) -> true, tier, null, drains); // a local walk never fetches: no block service
    walk.start();
    return walk.done().join();
  }

  /** Baseline: the same blocks got one after another. */
  @Benchmark
  public long baselineGets() {
    long bytes = 0;
    for (Cid cid : cids) {
      bytes += tier.get(cid).join().size();
    }
    return bytes;
  }

  /** Baseline: the same blocks got {@code concurrency} at a time. */
  @Benchmark
  public long baselineConcurrentGets() {
    long bytes = 0;
    List<CompletableFuture<Block>> window = new ArrayList<>(concurrency);
    for (int i = 0; i < cids.length; i += concurrency) {
      window.clear();
      for (int j = i; j < Math.min(cids.length, i + concurrency); j++) {
        window.add(tier.get(cids[j]));
      }
      for (CompletableFuture<Block> f : window) {
        bytes += f.join().size();
      }
    }
    return bytes;
  }
}
