package io.cairn.testing.blockstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FaultyTierTest {
  /** A map tier that counts the block reads that reach it. */
  static final class MapTier implements BlockTier {
    final Map<Cid, Block> blocks = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public CompletableFuture<Boolean> has(Cid cid) {
      return CompletableFuture.completedFuture(blocks.containsKey(cid));
    }

    @Override
    public CompletableFuture<Block> get(Cid cid) {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(blocks.get(cid));
    }

    @Override
    public CompletableFuture<Integer> getSize(Cid cid) {
      Block b = blocks.get(cid);
      return CompletableFuture.completedFuture(b == null ? null : b.data().length);
    }

    @Override
    public CompletableFuture<Void> put(Block block) {
      blocks.put(block.cid(), block);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> putMany(List<Block> list) {
      list.forEach(this::put);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> delete(Cid cid) {
      return CompletableFuture.completedFuture(blocks.remove(cid) != null);
    }

    @Override
    public Stream<Cid> keys() {
      return blocks.keySet().stream();
    }

    @Override
    public String name() {
      return "map";
    }

    @Override
    public boolean persistent() {
      return false;
    }

    @Override
    public TierStats stats() {
      return new TierStats("map", blocks.size(), 0, 0, 0, 0, 0);
    }
  }

  private static List<Block> blocks(MapTier tier, int n) {
    List<Block> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Block b = Block.raw(("block " + i).getBytes());
      tier.put(b);
      list.add(b);
    }
    return list;
  }

  @Test
  void slowReadsBeyondTheQueueDepthWaitTheirTurnInOrder() throws Exception {
    MapTier real = new MapTier();
    List<Block> blocks = blocks(real, 6);
    FaultyTier tier = new FaultyTier(real);
    tier.reads = FaultyTier.Mode.SLOW;
    tier.slowMillis = 20;
    tier.slowReadsAtOnce = 2;
    List<Integer> done = java.util.Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    List<CompletableFuture<Block>> reads = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      int k = i;
      reads.add(tier.get(blocks.get(i).cid()).whenComplete((b, e) -> done.add(k)));
    }
    for (int i = 0; i < blocks.size(); i++) {
      assertEquals(blocks.get(i), reads.get(i).get(10, TimeUnit.SECONDS));
    }
    // Two at a time, 20 ms each: three rounds at least (a lower bound: sleeping is never shorter).
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(60), "took " + (System.nanoTime() - start));
    assertEquals(6, real.reads.get());
    // Each pair starts only after one of the pair before it ended: the last two end after the first two.
    assertTrue(done.indexOf(4) > Math.min(done.indexOf(0), done.indexOf(1)), done.toString());
    assertTrue(done.indexOf(5) > Math.min(done.indexOf(0), done.indexOf(1)), done.toString());
  }

  @Test
  void indexReadsCanBeAnsweredAtOnceAsFromAnIndexInMemory() throws Exception {
    MapTier real = new MapTier();
    Block b = blocks(real, 1).get(0);
    FaultyTier tier = new FaultyTier(real);
    tier.reads = FaultyTier.Mode.HANG;
    tier.slowIndexReads = false;
    assertEquals(b.data().length, tier.getSize(b.cid()).get(10, TimeUnit.SECONDS));
    assertTrue(tier.has(b.cid()).get(10, TimeUnit.SECONDS));
    assertTrue(!tier.get(b.cid()).isDone(), "a block read still hangs");
  }
}
