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
import io.cairn.blockstore.DiskSpaceLowException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiered store over real file tiers (ssd, hdd), a real memory tier and the real batch I/O manager. */
class PersistentTiersTest {
  private static final long MIB = 1 << 20;
  /** Demotion only when a test asks for it ({@link TieredBlockstore#demote()}), so the tests are deterministic. */
  private static final Map<String, Object> NO_BACKGROUND_DEMOTION = Map.of("demotionIntervalMs", 3_600_000L);

  @TempDir
  Path dir;

  private static Throwable failure(CompletableFuture<?> f) {
    return assertThrows(CompletionException.class, f::join).getCause();
  }

  private static boolean holds(BlockTier tier, Block b) {
    return tier.has(b.cid()).join();
  }

  /** Waits for something the store does in the background (promotion); fails the test if it never happens. */
  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(condition.getAsBoolean(), what);
  }

  @Test
  void writesGoDurablyIntoTheFirstPersistentTierAndReadsPromoteIntoMemory() throws Exception {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      Block a = block(1, 5000);
      Block b = block(2, 6000);
      f.store.put(a).join();
      f.store.putBatch(List.of(b)).join();
      assertTrue(holds(ssd, a) && holds(ssd, b));
      assertFalse(holds(hdd, a) || holds(memory, a), "only the write tier takes writes");
      assertTrue(f.batchio.stats().batches() >= 2, "written through the batch I/O manager");

      assertEquals(a, f.store.get(a.cid()).join());
      assertTrue(holds(memory, a), "a read from ssd is cached in memory");
      assertEquals(a, f.store.getWithTier(a.cid(), BlockTier.SSD).join());
      assertInstanceOf(BlockNotFoundException.class, failure(f.store.getWithTier(a.cid(), BlockTier.HDD)));
      try (InputStream in = f.store.getStream(b.cid()).join()) {
        assertArrayEquals(b.data(), in.readAllBytes());
      }
      assertEquals(Set.of(a.cid(), b.cid()), Set.copyOf(f.store.keys().toList()), "the persistent tiers' keys");
      assertEquals(List.of(BlockTier.MEMORY, BlockTier.SSD, BlockTier.HDD), f.store.tiers().stream().map(TierStats::tier).toList());
      assertEquals(2, f.store.stats().blocks(), "blocks counted in the persistent tiers, not the cache");
      assertTrue(f.store.delete(a.cid()).join());
      assertFalse(holds(ssd, a) || holds(memory, a));
      assertFalse(f.warnings().stream().anyMatch(w -> w.contains("will not survive")), f.warnings().toString());
    }
  }

  @Test
  void theConfiguredWriteTierTakesWritesAndAMissingOneFallsBackWithAWarning() {
    try (Fixture f = new Fixture(Map.of("writeTier", BlockTier.HDD, "cacheOnPut", true))) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      Block a = block(3, 1000);
      f.store.put(a).join();
      assertTrue(holds(hdd, a) && !holds(ssd, a));
      assertTrue(holds(memory, a), "cacheOnPut");

      f.reconfigure(Map.of("writeTier", "nvme"));
      Block b = block(4, 1000);
      Block c = block(5, 1000);
      f.store.put(b).join();
      f.store.put(c).join();
      assertTrue(holds(ssd, b) && holds(ssd, c));
      assertEquals(1, f.warnings().stream().filter(w -> w.contains("\"nvme\" is not an active persistent tier")).count(),
          f.warnings().toString());
    }
  }

  /**
   * Group commit: with a batch timeout of 10 s, a put that finds no write in flight must be flushed at
   * once, not wait out the timeout. Each put is given 8 s, which only a put left waiting for the timeout
   * misses; this is a liveness check, not a speed measurement.
   */
  @Test
  void aLonePutIsFlushedAtOnceInsteadOfWaitingForTheBatchTimeout() throws Exception {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION, Map.of("batchTimeoutMillis", 10_000L))) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      for (int i = 0; i < 5; i++) {
        Block b = block(500 + i, 1000);
        f.store.put(b).get(8, TimeUnit.SECONDS);
        assertTrue(holds(ssd, b));
      }
      assertEquals(5, f.batchio.stats().batches());
    }
  }

  @Test
  void aBlockAPersistentTierHoldsIsNotWrittenAgain() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      Block a = block(6, 1000);
      hdd.put(a).join();
      long batches = f.batchio.stats().batches();
      f.store.put(a).join();
      assertFalse(holds(ssd, a));
      assertEquals(batches, f.batchio.stats().batches(), "nothing handed to the batch I/O manager");
    }
  }

  @Test
  void promotionUpMovesAHitFromALowerTierIntoTheWriteTier() throws Exception {
    try (Fixture f = new Fixture(Map.of("promotion", "up", "demotionIntervalMs", 3_600_000L))) {
      BlockTier memory = f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      Block a = block(7, 3000);
      hdd.put(a).join();
      assertEquals(a, f.store.get(a.cid()).join());
      eventually("moved into ssd and out of hdd", () -> holds(ssd, a) && !holds(hdd, a));
      assertTrue(holds(memory, a));
      assertEquals(a, f.store.getWithTier(a.cid(), BlockTier.SSD).join());
    }
  }

  @Test
  void whenTheWriteTierIsShortOfSpaceWritesGoToTheNextPersistentTier() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      // No file system has this much free space: the ssd refuses every write with DiskSpaceLowException.
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of("minFreeBytes", Long.MAX_VALUE / 4));
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      Block a = block(8, 2000);
      Block b = block(9, 2000);
      f.store.put(a).join();
      f.store.putBatch(List.of(b)).join();
      assertTrue(holds(hdd, a) && holds(hdd, b));
      assertFalse(holds(ssd, a) || holds(ssd, b));
      assertTrue(f.warnings().stream().anyMatch(w -> w.contains("tier ssd is short of disk space")), f.warnings().toString());
      assertEquals(a, f.store.get(a.cid()).join());
    }
  }

  @Test
  void withNoLowerTierTheWriteFailsWithDiskSpaceLowAndReadsGoOn() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of("capacityBytes", MIB));
      List<Block> kept = new ArrayList<>();
      Throwable refused = null;
      for (int i = 0; refused == null && i < 200; i++) {
        Block b = block(100 + i, 50_000);
        try {
          f.store.put(b).join();
          kept.add(b);
        } catch (CompletionException e) {
          refused = e.getCause();
          assertFalse(holds(ssd, b));
        }
      }
      assertInstanceOf(DiskSpaceLowException.class, refused);
      assertFalse(kept.isEmpty());
      for (Block b : kept) {
        assertEquals(b, f.store.get(b.cid()).join());
      }
    }
  }

  @Test
  void demotionMovesTheOldestBlocksDownUntilBelowTheLowWaterMark() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of("capacityBytes", MIB));
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      List<Block> blocks = new ArrayList<>();
      // One put at a time, so the ssd's write order is the list's order.
      while (ssd.stats().usedBytes() <= 0.9 * MIB) {
        Block b = block(blocks.size(), 20_000);
        f.store.put(b).join();
        blocks.add(b);
      }
      assertTrue(blocks.stream().allMatch(b -> holds(ssd, b)), "all fitted in the ssd");
      f.store.demote();
      TierStats after = ssd.stats();
      assertTrue(after.usedBytes() <= 0.8 * MIB, after.toString());
      assertTrue(holds(hdd, blocks.get(0)) && !holds(ssd, blocks.get(0)), "the oldest went down");
      Block newest = blocks.get(blocks.size() - 1);
      assertTrue(holds(ssd, newest) && !holds(hdd, newest), "the newest stayed");
      for (Block b : blocks) {
        assertTrue(holds(ssd, b) ^ holds(hdd, b), "in exactly one tier: " + b);
        assertEquals(b, f.store.get(b.cid()).join());
      }
      f.store.demote();
      assertEquals(after.blocks(), ssd.stats().blocks(), "below the high water mark nothing moves");
    }
  }

  @Test
  void demotionIntoAFullTierStopsDeletesNothingAndSaysSoOnce() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of("capacityBytes", MIB));
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of("capacityBytes", MIB));
      for (int i = 0; hdd.stats().usedBytes() + 30_000 < MIB; i++) {
        hdd.put(block(7000 + i, 20_000)).join();
      }
      List<Block> blocks = new ArrayList<>();
      while (ssd.stats().usedBytes() <= 0.9 * MIB) {
        Block b = block(8000 + blocks.size(), 20_000);
        f.store.put(b).join();
        blocks.add(b);
      }
      long before = ssd.stats().blocks();
      f.store.demote();
      f.store.demote();
      assertEquals(before, ssd.stats().blocks(), "the hdd refused the batch: nothing left the ssd");
      assertEquals(1, f.warnings().stream().filter(w -> w.contains("demoting into tier hdd stopped")).count(),
          f.warnings().toString());
      for (Block b : blocks) {
        assertEquals(b, f.store.get(b.cid()).join());
      }
    }
  }

  @Test
  void theBackgroundTaskDemotes() throws Exception {
    try (Fixture f = new Fixture(Map.of("demotionIntervalMs", 10L))) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of("capacityBytes", MIB));
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        blocks.add(block(1000 + i, 20_000));
      }
      f.store.putBatch(blocks).join();
      eventually("the ssd demoted below its low water mark", () -> ssd.stats().usedBytes() <= 0.8 * MIB
          && hdd.stats().blocks() > 0);
      for (Block b : blocks) {
        assertEquals(b, f.store.get(b.cid()).join());
      }
    }
  }

  @Test
  void aLeavingTierCopiesTheBlocksOnlyItHoldsBeforeItGoes() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      f.memoryTier(BlockTier.MEMORY, 0, 16 * MIB);
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < 2500; i++) {
        blocks.add(block(2000 + i, 100 + i % 700));
      }
      f.store.putBatch(blocks).join();
      hdd.putMany(blocks.subList(0, 100)).join(); // some are in both already
      f.store.removeTier(ssd);
      assertEquals(List.of(BlockTier.MEMORY, BlockTier.HDD), f.store.tiers().stream().map(TierStats::tier).toList());
      assertEquals(blocks.size(), hdd.stats().blocks());
      for (Block b : blocks) {
        assertEquals(b, f.store.get(b.cid()).join());
      }
      assertTrue(f.warnings().stream().noneMatch(w -> w.startsWith("ERROR")), f.warnings().toString());
      // New writes go to the tier that is left.
      Block later = block(9999, 100);
      f.store.put(later).join();
      assertTrue(holds(hdd, later));
    }
  }

  /** DS unbinds every tier after deactivating the store: that is a stop, not a removal, and copies nothing. */
  @Test
  void tiersUnboundAfterTheStoreStoppedAreNotMigrated() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      Block a = block(12, 1000);
      f.store.put(a).join();
      f.store.deactivate();
      f.store.removeTier(ssd);
      assertFalse(holds(hdd, a));
      assertTrue(holds(ssd, a));
      assertTrue(f.warnings().stream().noneMatch(w -> w.contains("leaving")), f.warnings().toString());
    }
  }

  @Test
  void theLastPersistentTierLeavingKeepsItsBlocksInItsFilesForItsReturn() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      Path ssdDir = dir.resolve("ssd");
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, ssdDir, Map.of());
      Block a = block(10, 4000);
      f.store.put(a).join();
      f.store.removeTier(ssd);
      assertTrue(f.warnings().stream().anyMatch(w -> w.contains("tier ssd is leaving and no other persistent tier is active")
          && w.contains("stay in its files")), f.warnings().toString());
      assertInstanceOf(BlockNotFoundException.class, failure(f.store.get(a.cid())));
      f.stop(ssd);
      // The same files, opened again: the block is back.
      f.fileTier(BlockTier.SSD, 100, ssdDir, Map.of());
      assertEquals(a, f.store.get(a.cid()).join());
    }
  }

  @Test
  void aWriteTierChangingRankIsReorderedLive() {
    try (Fixture f = new Fixture(NO_BACKGROUND_DEMOTION)) {
      BlockTier ssd = f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      f.store.rankChanged(hdd, Map.of(BlockTier.TIER, BlockTier.HDD, BlockTier.RANK, 50, "service.id", 99L));
      Block a = block(11, 100);
      f.store.put(a).join();
      assertTrue(holds(hdd, a) && !holds(ssd, a), "hdd now ranks first, so it takes writes");
    }
  }

  /**
   * Writers put single blocks (group commit) and batches while readers read what was acknowledged, with a
   * small ssd that keeps overflowing (disk-space fallthrough) and demoting in the background: every
   * acknowledged block must be readable and byte-exact, during and after.
   */
  @Test
  void concurrentWritersAndReadersNeverLoseAnAcknowledgedBlock() throws Exception {
    try (Fixture f = new Fixture(Map.of("demotionIntervalMs", 10L))) {
      f.memoryTier(BlockTier.MEMORY, 0, 2 * MIB);
      f.fileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of("capacityBytes", 2 * MIB));
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      int writers = 4;
      int perWriter = 300;
      List<Block> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            for (int i = 0; i < perWriter; i++) {
              Block b = block(10_000 + id * perWriter + i, 1000 + (i * 37) % 9000);
              if (i % 10 == 9) {
                List<Block> batch = List.of(b, block(50_000 + id * perWriter + i, 500));
                f.store.putBatch(batch).join();
                acknowledged.addAll(batch);
              } else {
                f.store.put(b).join();
                acknowledged.add(b);
              }
            }
          } catch (Throwable t) {
            errors.add(t);
          }
        }));
      }
      for (int r = 0; r < 3; r++) {
        int seed = r;
        threads.add(Thread.ofPlatform().start(() -> {
          java.util.Random random = new java.util.Random(seed);
          try {
            while (writing.get()) {
              Block b;
              synchronized (acknowledged) {
                if (acknowledged.isEmpty()) {
                  continue;
                }
                b = acknowledged.get(random.nextInt(acknowledged.size()));
              }
              Block read = f.store.get(b.cid()).get(30, TimeUnit.SECONDS);
              if (!read.equals(b)) {
                errors.add(new AssertionError("read " + read + " for " + b));
              }
            }
          } catch (Throwable t) {
            errors.add(t);
          }
        }));
      }
      for (Thread t : threads.subList(0, writers)) {
        t.join();
      }
      writing.set(false);
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(List.of(), errors);
      Set<Cid> keys = new HashSet<>(f.store.keys().toList());
      for (Block b : acknowledged) {
        assertArrayEquals(b.data(), f.store.get(b.cid()).join().data());
        assertTrue(keys.contains(b.cid()), "listed: " + b);
      }
      assertTrue(hdd.stats().blocks() > 0, "the small ssd overflowed or demoted into the hdd");
    }
  }
}
