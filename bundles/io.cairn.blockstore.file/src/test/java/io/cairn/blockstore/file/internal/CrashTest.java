package io.cairn.blockstore.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 during batched writes: a child JVM ({@link CrashWriter}) puts batches into one store while
 * this test kills it with SIGKILL at a random moment, round after round on the same folder. After each
 * kill the store must open, hold every block of every acknowledged batch byte for byte, and serve no
 * block that fails its checksum or hash: a record is either whole and indexed or absent.
 * Rounds: {@code -Dcairn.crash.rounds} (50 in CI; bench/crash.sh runs 1,000).
 */
class CrashTest {
  @TempDir
  Path dir;

  @Test
  void everyAcknowledgedBlockSurvivesSigkill() throws Exception {
    int rounds = Integer.getInteger("cairn.crash.rounds", 50);
    Random random = new Random(Long.getLong("cairn.crash.seed", 7));
    Set<Long> acknowledged = new HashSet<>();
    Set<Long> deleted = new HashSet<>();
    long nextBatch = 0;
    for (int round = 0; round < rounds; round++) {
      Process child = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
          CrashWriter.class.getName(), dir.toString(), Long.toString(nextBatch))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      List<String> lines = new ArrayList<>();
      Thread reader = Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            synchronized (lines) {
              lines.add(line);
              lines.notifyAll();
            }
          }
        } catch (java.io.IOException e) {
          // the child died: its output ends here
        }
      });
      synchronized (lines) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!lines.contains("OPEN") && child.isAlive() && System.nanoTime() < deadline) {
          lines.wait(100);
        }
      }
      assertTrue(lines.contains("OPEN"), "round " + round + ": the store did not open after the last kill");
      Thread.sleep(random.nextInt(400));
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      reader.join(10_000);
      long highest = nextBatch - 1;
      synchronized (lines) {
        for (String line : lines) {
          if (line.startsWith("ACK ")) {
            long n = Long.parseLong(line.substring(4));
            acknowledged.add(n);
            highest = Math.max(highest, n);
          } else if (line.startsWith("DEL ")) {
            deleted.add(Long.parseLong(line.substring(4)));
          }
        }
      }
      // Batches started but not acknowledged may or may not be there; later rounds never reuse their numbers.
      long firstThisRound = nextBatch;
      nextBatch = highest + 3;
      // Each round checks its own batches and a sample of older ones; every tenth round and the last
      // check everything, so the whole history is checked without the cost growing with its square.
      boolean full = round % 10 == 9 || round == rounds - 1;
      Set<Long> check = new HashSet<>();
      for (long n : acknowledged) {
        if (full || n >= firstThisRound || random.nextInt(50) == 0) {
          check.add(n);
        }
      }
      verify(round, check, deleted, full);
    }
  }

  private void verify(int round, Set<Long> acknowledged, Set<Long> deleted, boolean full) throws Exception {
    StoreFixture fixture = new StoreFixture();
    try (FileStore store = fixture.open(
        new FileTierSettings("ssd", 100, dir, 1L << 40, 0, 2 << 20, 0.5, 3_600_000, false, "deflate", 5, 10, 4096, 2048))) {
      for (long n : acknowledged) {
        List<Block> batch = CrashWriter.batch(n);
        for (int i = 0; i < batch.size(); i++) {
          Block b = batch.get(i);
          if (i == 0 && deleted.contains(n)) {
            assertFalse(store.has(b.cid()), "round " + round + ": deleted block of batch " + n + " came back");
            continue;
          }
          if (i == 0 && n % 10 == 0) {
            continue; // its delete may have become durable just before the kill, unreported
          }
          assertEquals(b, store.get(b.cid()), "round " + round + ": acknowledged batch " + n);
        }
      }
      if (!full) {
        return;
      }
      // No half-visible record: everything the index serves is whole and hashes to its CID.
      long served = 0;
      try (Stream<Cid> keys = store.keys()) {
        for (Cid cid : keys.toList()) {
          assertTrue(store.get(cid).verify(), "round " + round + ": " + cid + " does not hash to its CID");
          served++;
        }
      }
      assertEquals(store.stats().blocks(), served, "round " + round + ": the index and the segments agree");
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
