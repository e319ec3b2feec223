package io.cairn.blockstore.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction moves live records and then closes and deletes their old segment, while reads on the
 * tier's read threads may hold the old location: such a read finds the channel closed and looks again.
 */
class ReadsUnderCompactionTest {
  @TempDir
  Path dir;

  @Test
  void readsOnTheReadThreadsServeEveryLiveBlockWhileSegmentsAreCompactedAway() throws Exception {
    StoreFixture fixture = new StoreFixture();
    List<Block> blocks = StoreFixture.blocks(11, 6000, 500, 1500);
    ReadExecutor reads = new ReadExecutor("ssd", 64);
    try (FileStore store = fixture.open(new FileTierSettings("ssd", 100, dir, 1L << 40, 0, 1 << 20, 0.5, 3_600_000,
        false, "deflate", 5, 10, 4096, 64))) {
      store.putMany(blocks).join();
      // Two blocks of three deleted: each sealed segment about a third live, below the 0.5 threshold.
      List<Block> live = new ArrayList<>();
      for (int i = 0; i < blocks.size(); i++) {
        if (i % 3 != 0) {
          store.delete(blocks.get(i).cid()).join();
        } else {
          live.add(blocks.get(i));
        }
      }
      List<Integer> victims = store.compactionCandidates();
      assertTrue(victims.size() >= 3, "segments to compact: " + victims);
      CompletableFuture<Void> compaction = CompletableFuture.completedFuture(null);
      for (int id : victims) {
        compaction = compaction.thenCompose(v -> store.compact(id).thenAccept(moved -> { }));
      }
      int during = 0;
      do {
        List<CompletableFuture<Block>> batch = new ArrayList<>();
        List<Block> asked = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          Block b = live.get(ThreadLocalRandom.current().nextInt(live.size()));
          asked.add(b);
          batch.add(reads.submit(() -> store.get(b.cid())));
        }
        for (int i = 0; i < batch.size(); i++) {
          assertEquals(asked.get(i), batch.get(i).join(), "a live block read while its segment was compacted");
        }
        during += compaction.isDone() ? 0 : batch.size();
      } while (!compaction.isDone());
      compaction.join();
      assertTrue(during > 0, "no read overlapped the compaction");
      for (int id : victims) {
        assertFalse(Files.exists(dir.resolve(Segment.fileName(id))), "segment " + id + " compacted away");
      }
      for (Block b : live) {
        assertEquals(b, reads.submit(() -> store.get(b.cid())).join());
      }
    } finally {
      reads.close(10_000);
    }
  }
}
