package io.cairn.blockstore.tiered.internal;

import static io.cairn.blockstore.tiered.internal.Fixture.block;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockTooLargeException;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The tiered store over memory tiers alone (the node must work without a persistent tier). */
class TieredBlockstoreTest {
  private static final long MIB = 1 << 20;

  private static Throwable failure(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return e.getCause();
  }

  @Test
  void withOnlyAMemoryTierBlocksAreStoredThereAndAWarningSaysTheyAreVolatile() {
    try (Fixture f = new Fixture(Map.of())) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block a = block(1, 1000);
      Block b = block(2, 2000);
      f.store.put(a).join();
      f.store.putBatch(List.of(b)).join();
      assertTrue(f.store.has(a.cid()).join());
      assertEquals(b, f.store.get(b.cid()).join());
      assertEquals(2000, f.store.getSize(b.cid()).join());
      assertTrue(memory.has(a.cid()).join());
      assertEquals(java.util.Set.of(a.cid(), b.cid()), java.util.Set.copyOf(f.store.keys().toList()));
      long warned = f.warnings().stream().filter(w -> w.contains("will not survive a restart")).count();
      assertEquals(1, warned, f.warnings().toString());

      assertTrue(f.store.delete(a.cid()).join());
      assertFalse(f.store.delete(a.cid()).join());
      assertFalse(f.store.has(a.cid()).join());
      assertInstanceOf(BlockNotFoundException.class, failure(f.store.get(a.cid())));
      assertInstanceOf(BlockNotFoundException.class, failure(f.store.getSize(a.cid())));
      assertInstanceOf(BlockNotFoundException.class, failure(f.store.getStream(a.cid())));
    }
  }

  @Test
  void withNoTierAtAllWritesFailClearly() {
    try (Fixture f = new Fixture(Map.of())) {
      Throwable t = failure(f.store.put(block(1, 10)));
      assertTrue(t.getMessage().contains("no block tier"), t.getMessage());
      assertFalse(f.store.has(block(1, 10).cid()).join());
    }
  }

  @Test
  void blocksOverTheMaximumAreRefusedAndNothingIsStored() {
    try (Fixture f = new Fixture(Map.of("maxBlockSize", 4096))) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block big = block(1, 4097);
      Block fits = block(2, 4096);
      assertInstanceOf(BlockTooLargeException.class, failure(f.store.put(big)));
      assertInstanceOf(BlockTooLargeException.class, failure(f.store.putBatch(List.of(fits, big))));
      assertInstanceOf(BlockTooLargeException.class, failure(f.store.putMany(List.of(fits, big))));
      assertEquals(0, memory.keys().count());
      f.store.put(fits).join();
      assertEquals(4096, f.store.maxBlockSize());
    }
  }

  @Test
  void putStreamStoresWhatHashesToTheCid() throws IOException {
    try (Fixture f = new Fixture(Map.of())) {
      f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block b = block(3, 300_000);
      InputStream in = new ByteArrayInputStream(b.data());
      f.store.putStream(b.cid(), in).join();
      assertEquals(-1, in.read(), "read to its end");
      assertArrayEquals(b.data(), f.store.get(b.cid()).join().data());

      // Other hash functions: sha2-512 (hashed as it streams) and blake2b-256 (checked at the end).
      for (Multicodec fn : List.of(Multicodec.SHA2_512, Multicodec.BLAKE2B_256)) {
        Cid cid = Cid.v1(Multicodec.RAW, Multihash.digest(fn, b.data()));
        f.store.putStream(cid, new ByteArrayInputStream(b.data())).join();
        assertArrayEquals(b.data(), f.store.get(cid).join().data());
      }
    }
  }

  @Test
  void putStreamRefusesAMismatchAndLeavesNothing() {
    try (Fixture f = new Fixture(Map.of())) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block b = block(4, 5000);
      byte[] other = b.data().clone();
      other[4999] ^= 1;
      Throwable t = failure(f.store.putStream(b.cid(), new ByteArrayInputStream(other)));
      assertInstanceOf(CorruptBlockException.class, t);
      assertEquals(b.cid(), ((CorruptBlockException) t).cid());
      // A truncated body does not hash either.
      assertInstanceOf(CorruptBlockException.class,
          failure(f.store.putStream(b.cid(), new ByteArrayInputStream(b.data(), 0, 4000))));
      assertEquals(0, memory.keys().count());
      assertFalse(f.store.has(b.cid()).join());
    }
  }

  @Test
  void putStreamReadsAtMostOneByteOverTheLimitAndRefusesTheBlock() {
    try (Fixture f = new Fixture(Map.of("maxBlockSize", 2048))) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      long[] served = new long[1];
      InputStream endless = new InputStream() {
        @Override
        public int read() {
          served[0]++;
          return 'x';
        }
      };
      Cid any = block(5, 10).cid();
      assertInstanceOf(BlockTooLargeException.class, failure(f.store.putStream(any, endless)));
      assertEquals(2049, served[0]);
      assertEquals(0, memory.keys().count());
    }
  }

  @Test
  void putStreamOfAnUncomputableHashFunctionIsRefused() {
    try (Fixture f = new Fixture(Map.of())) {
      f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Cid sha3 = Cid.v1(Multicodec.RAW, Multihash.of(0x16, new byte[32])); // sha3-256: not computed here
      Throwable t = failure(f.store.putStream(sha3, new ByteArrayInputStream(new byte[10])));
      assertTrue(t.getMessage().contains("cannot compute"), t.getMessage());
      assertFalse(f.store.has(sha3).join());
    }
  }

  @Test
  void hashOnReadRefusesABlockWhoseBytesDoNotMatch() throws IOException {
    try (Fixture f = new Fixture(Map.of("hashOnRead", true))) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block good = block(6, 1000);
      byte[] rotten = good.data().clone();
      rotten[10] ^= 0x40;
      // A tier that hands back other bytes than were put: the store must not serve them.
      memory.put(new Block(good.cid(), rotten)).join();
      assertInstanceOf(CorruptBlockException.class, failure(f.store.get(good.cid())));
      assertInstanceOf(CorruptBlockException.class, failure(f.store.getWithTier(good.cid(), BlockTier.MEMORY)));
      try (InputStream in = f.store.getStream(good.cid()).join()) {
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        assertInstanceOf(CorruptBlockException.class, e.getCause());
      }
      f.reconfigure(Map.of("hashOnRead", false));
      assertArrayEquals(rotten, f.store.get(good.cid()).join().data(), "without hashOnRead the tier is trusted");
      f.reconfigure(Map.of("hashOnRead", true));
      memory.put(good).join();
      assertEquals(good, f.store.get(good.cid()).join());
      try (InputStream in = f.store.getStream(good.cid()).join()) {
        assertArrayEquals(good.data(), in.readAllBytes());
      }
    }
  }

  @Test
  void aReadBelowTheCacheIsPromotedIntoIt() {
    try (Fixture f = new Fixture(Map.of())) {
      BlockTier cache = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier lower = f.memoryTier("slow-memory", 50, 16 * MIB);
      Block b = block(7, 700);
      lower.put(b).join();
      assertFalse(cache.has(b.cid()).join());
      assertEquals(b, f.store.get(b.cid()).join());
      assertTrue(cache.has(b.cid()).join(), "promoted into the first tier");
      assertEquals(b, f.store.getWithTier(b.cid(), "slow-memory").join());
      assertInstanceOf(BlockNotFoundException.class, failure(f.store.getWithTier(b.cid(), "nvme")));
    }
  }

  @Test
  void promotionNoneLeavesTheBlockWhereItIs() {
    try (Fixture f = new Fixture(Map.of("promotion", "none"))) {
      BlockTier cache = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier lower = f.memoryTier("slow-memory", 50, 16 * MIB);
      Block b = block(8, 700);
      lower.put(b).join();
      assertEquals(b, f.store.get(b.cid()).join());
      assertFalse(cache.has(b.cid()).join());
    }
  }

  @Test
  void tiersAreReadInRankOrderWhateverOrderTheyCameIn() {
    try (Fixture f = new Fixture(Map.of())) {
      f.memoryTier("c", 300, MIB);
      f.memoryTier("a", 0, MIB);
      f.memoryTier("b", 100, MIB);
      assertEquals(List.of(BlockTier.MEMORY, BlockTier.MEMORY, BlockTier.MEMORY),
          f.store.tiers().stream().map(TierStats::tier).toList());
      assertEquals(List.of("a", "b", "c"), f.store.currentLayout().tiers().stream().map(t -> t.name).toList());
    }
  }

  @Test
  void statsCountReadsWritesAndTheCacheHitRate() {
    try (Fixture f = new Fixture(Map.of())) {
      f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block b = block(9, 4000);
      f.store.put(b).join();
      f.store.get(b.cid()).join();
      f.store.get(block(10, 10).cid()).exceptionally(t -> null).join();
      var stats = f.store.stats();
      assertEquals(0.5, stats.cacheHitRate(), 1e-9);
      assertEquals(1, stats.blocks());
      assertEquals(1.0, stats.compressionRatio(), 1e-9);
      assertEquals(16 * MIB, stats.capacityBytes());
      assertTrue(stats.averageReadLatency().toNanos() > 0);
      assertTrue(stats.averageWriteLatency().toNanos() > 0);
      assertEquals(1, f.store.tiers().size());
    }
  }

  @Test
  void anInvalidConfigurationIsRejectedNamingTheKeyAndThePreviousStays() {
    try (Fixture f = new Fixture(Map.of("maxBlockSize", 8192))) {
      f.reconfigure(Map.of("maxBlockSize", 4096, "demotionLowWater", 0.95));
      assertEquals(8192, f.store.maxBlockSize());
      assertTrue(f.warnings().stream().anyMatch(w -> w.startsWith("WARN") && w.contains(TieredBlockstore.PID)
          && w.contains("demotionLowWater")), f.warnings().toString());
      f.reconfigure(Map.of("promotion", "sideways"));
      assertTrue(f.warnings().stream().anyMatch(w -> w.contains("promotion") && w.contains("sideways")));
      f.reconfigure(Map.of("maxBlockSize", 512));
      assertTrue(f.warnings().stream().anyMatch(w -> w.contains("maxBlockSize")));
      assertEquals(8192, f.store.maxBlockSize());
      f.reconfigure(Map.of("maxBlockSize", 4096));
      assertEquals(4096, f.store.maxBlockSize());
    }
  }

  @Test
  void aMemoryTierLeavingNeedsNothing() {
    try (Fixture f = new Fixture(Map.of())) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      f.store.put(block(11, 100)).join();
      f.store.removeTier(memory);
      assertTrue(f.store.tiers().isEmpty());
      assertFalse(f.store.has(block(11, 100).cid()).join());
    }
  }

  private static Block identity(String text) {
    byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new Block(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), data)), data);
  }

  /** As boxo's idstore: an identity CID carries its block, so it is always here and never stored. */
  @Test
  void identityCidsAreAnsweredFromTheCidAndNeverStored() throws IOException {
    try (Fixture f = new Fixture(Map.of())) {
      Cid empty = Cid.parse("bafkqaaa");
      // No tier at all: the CID alone answers.
      assertTrue(f.store.has(empty).join());
      assertArrayEquals(new byte[0], f.store.get(empty).join().data());

      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      Block hello = identity("hello, inline world");
      assertTrue(f.store.has(hello.cid()).join());
      assertEquals(hello, f.store.get(hello.cid()).join());
      assertEquals(0, f.store.getSize(empty).join());
      assertEquals(hello.size(), f.store.getSize(hello.cid()).join());
      try (InputStream in = f.store.getStream(hello.cid()).join()) {
        assertArrayEquals(hello.data(), in.readAllBytes());
      }

      Block stored = block(1, 1000);
      f.store.put(hello).join();
      f.store.putBatch(List.of(identity("a"), stored, identity("b"))).join();
      f.store.putMany(List.of(identity("c"))).join();
      f.store.putStream(hello.cid(), new ByteArrayInputStream(hello.data())).join();
      assertEquals(List.of(stored.cid()), memory.keys().toList(), "only the block that is not an identity block is stored");
      assertEquals(List.of(stored.cid()), f.store.keys().toList());

      // A block whose bytes are not what its identity CID carries is refused, like any block that does not hash.
      Block lying = new Block(hello.cid(), "something else".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertInstanceOf(CorruptBlockException.class, failure(f.store.put(lying)));
      assertInstanceOf(CorruptBlockException.class, failure(f.store.putBatch(List.of(stored, lying))));

      // Removing one changes nothing: it is still answered (Kubo's block rm reports it removed).
      assertTrue(f.store.delete(hello.cid()).join());
      assertEquals(hello, f.store.get(hello.cid()).join());

      // One a tier holds from before (block/put used to store them) is never listed, so never collected.
      memory.put(identity("kept before")).join();
      assertEquals(List.of(stored.cid()), f.store.keys().toList());
    }
  }
}
