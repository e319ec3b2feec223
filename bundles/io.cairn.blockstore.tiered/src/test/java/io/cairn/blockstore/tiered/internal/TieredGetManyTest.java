package io.cairn.blockstore.tiered.internal;

import static io.cairn.blockstore.tiered.internal.Fixture.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MemoryPressureException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Many lookups at once: one call per tier for what the tiers before it lacked. */
class TieredGetManyTest {
  private static final long MIB = 1 << 20;

  /**
   * A tier that counts the calls it gets, over a real memory tier. Its getMany and getSizes are the
   * interface's defaults (one get per CID), as a third-party tier's would be, unless it is told to fail.
   */
  static final class CountingTier implements BlockTier {
    final BlockTier inner;
    final List<List<Cid>> manyCalls = Collections.synchronizedList(new ArrayList<>());
    final List<List<Cid>> sizesCalls = Collections.synchronizedList(new ArrayList<>());
    volatile int gets;
    volatile RuntimeException failMany;

    CountingTier(BlockTier inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<List<Block>> getMany(List<Cid> cids) {
      manyCalls.add(List.copyOf(cids));
      if (failMany != null) {
        return CompletableFuture.failedFuture(failMany);
      }
      return BlockTier.super.getMany(cids);
    }

    @Override
    public CompletableFuture<List<Integer>> getSizes(List<Cid> cids) {
      sizesCalls.add(List.copyOf(cids));
      return BlockTier.super.getSizes(cids);
    }

    @Override
    public CompletableFuture<Block> get(Cid cid) {
      gets++;
      return inner.get(cid);
    }

    @Override
    public CompletableFuture<Integer> getSize(Cid cid) {
      gets++;
      return inner.getSize(cid);
    }

    @Override
    public CompletableFuture<Boolean> has(Cid cid) {
      return inner.has(cid);
    }

    @Override
    public CompletableFuture<Void> put(Block block) {
      return inner.put(block);
    }

    @Override
    public CompletableFuture<Void> putMany(List<Block> blocks) {
      return inner.putMany(blocks);
    }

    @Override
    public CompletableFuture<Boolean> delete(Cid cid) {
      return inner.delete(cid);
    }

    @Override
    public Stream<Cid> keys() {
      return inner.keys();
    }

    @Override
    public String name() {
      return "counted";
    }

    @Override
    public boolean persistent() {
      return false;
    }

    @Override
    public TierStats stats() {
      return inner.stats();
    }
  }

  private static Block identity(String text) {
    byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new Block(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), data)), data);
  }

  @Test
  void eachTierIsAskedOnceForWhatTheTiersBeforeItLacked() {
    try (Fixture f = new Fixture(Map.of())) {
      BlockTier cache = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      CountingTier lower = new CountingTier(f.memoryTier("inner", 500, 16 * MIB));
      f.bind(lower, "lower", 50);
      Block a = block(1, 100);
      Block b = block(2, 200);
      Block c = block(3, 300);
      Block absent = block(4, 400);
      Block id = identity("inline");
      cache.put(a).join();
      lower.put(b).join();
      lower.put(c).join();

      List<Cid> ask = List.of(a.cid(), b.cid(), id.cid(), absent.cid(), c.cid());
      assertEquals(Arrays.asList(100, 200, id.size(), null, 300), f.store.getSizes(ask).join());
      assertEquals(List.of(List.of(b.cid(), absent.cid(), c.cid())), lower.sizesCalls,
          "one call to the lower tier, for what the cache lacked (identity CIDs answered from themselves)");

      assertEquals(Arrays.asList(a, b, id, null, c), f.store.getMany(ask).join());
      assertEquals(List.of(List.of(b.cid(), absent.cid(), c.cid())), lower.manyCalls);
      assertTrue(cache.has(b.cid()).join() && cache.has(c.cid()).join(), "what the lower tier had is promoted");

      lower.manyCalls.clear();
      assertEquals(Arrays.asList(a, b, id, null, c), f.store.getMany(ask).join());
      assertEquals(List.of(List.of(absent.cid())), lower.manyCalls, "promoted blocks come from the cache now");
      assertEquals(List.of(), f.store.getMany(List.of()).join());
    }
  }

  @Test
  void aCorruptCopyIsAskedOfTheNextTierAndIsNeverServed() {
    try (Fixture f = new Fixture(Map.of("hashOnRead", true, "promotion", "none"))) {
      BlockTier cache = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier lower = f.memoryTier("lower", 50, 16 * MIB);
      Block good = block(5, 1000);
      Block onlyRotten = block(6, 1000);
      cache.put(new Block(good.cid(), rot(good.data()))).join();
      lower.put(good).join();
      cache.put(new Block(onlyRotten.cid(), rot(onlyRotten.data()))).join();

      assertEquals(Arrays.asList(good, null), f.store.getMany(List.of(good.cid(), onlyRotten.cid())).join());
      assertTrue(f.warnings().stream().anyMatch(w -> w.contains("asking the next tier")), f.warnings().toString());
    }
  }

  @Test
  void aFailingTierIsSkippedButMemoryPressureFailsTheWhole() {
    try (Fixture f = new Fixture(Map.of())) {
      CountingTier first = new CountingTier(f.memoryTier("inner", 500, 16 * MIB));
      f.bind(first, "first", 0);
      BlockTier second = f.memoryTier("second", 50, 16 * MIB);
      Block b = block(7, 100);
      second.put(b).join();

      first.failMany = new IllegalStateException("tier bug");
      assertEquals(List.of(b), f.store.getMany(List.of(b.cid())).join());
      assertTrue(f.warnings().stream().anyMatch(w -> w.contains("tier bug")), f.warnings().toString());

      first.failMany = new MemoryPressureException("heap nearly full");
      CompletionException e = assertThrows(CompletionException.class, () -> f.store.getMany(List.of(b.cid())).join());
      assertInstanceOf(MemoryPressureException.class, e.getCause());
    }
  }

  private static byte[] rot(byte[] data) {
    byte[] rotten = data.clone();
    rotten[10] ^= 0x40;
    return rotten;
  }
}
