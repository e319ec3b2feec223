package io.cairn.blockstore.batchio.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.BatchIOManager.BatchStats;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.DiskSpaceLowException;
import io.cairn.blockstore.MemoryPressureException;
import io.cairn.blockstore.memory.internal.MemoryTiers;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class BatchIOComponentTest {
  /** Long enough that no batch in these tests closes by age unless the test means it to. */
  private static final long NEVER = 10_000;
  private final TestLog log = new TestLog();
  private final List<BatchIOComponent> managers = new ArrayList<>();

  @AfterEach
  void stopManagers() {
    managers.forEach(BatchIOComponent::deactivate);
  }

  /** A manager configured with the given key/value pairs, the rest at their defaults. */
  private BatchIOComponent manager(Object... keyValues) {
    BatchIOComponent m = new BatchIOComponent(log.logger, config(keyValues));
    managers.add(m);
    return m;
  }

  static BatchIOConfig config(Object... keyValues) {
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put((String) keyValues[i], keyValues[i + 1]);
    }
    return (BatchIOConfig) Proxy.newProxyInstance(BatchIOConfig.class.getClassLoader(), new Class<?>[] {BatchIOConfig.class},
        (p, m, a) -> m.getName().equals("annotationType") ? BatchIOConfig.class
            : values.getOrDefault(m.getName(), m.getDefaultValue()));
  }

  private WatchedTier tier(String name) {
    return new WatchedTier(name, MemoryTiers.withCapacity(log.logger, 256L << 20));
  }

  static Block block(int i) {
    return block(i, 64);
  }

  static Block block(int i, int size) {
    byte[] data = new byte[size];
    for (int k = 0; k < 4; k++) {
      data[k] = (byte) (i >> (8 * k));
    }
    return Block.raw(data);
  }

  static List<Block> blocks(int from, int count) {
    List<Block> list = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      list.add(block(i));
    }
    return list;
  }

  static void done(CompletableFuture<?> f) throws Exception {
    f.get(30, SECONDS);
  }

  static Throwable failure(CompletableFuture<?> f) {
    return assertThrows(ExecutionException.class, () -> f.get(30, SECONDS)).getCause();
  }

  /** Waits until {@code t} is parked (blocked in a put); fails if it finishes instead. */
  static void awaitParked(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(t.isAlive(), t.getName() + " finished instead of waiting");
      Thread.sleep(1);
    }
  }

  private static void assertHolds(WatchedTier tier, List<Block> blocks) {
    for (Block b : blocks) {
      assertTrue(tier.memory.has(b.cid()).join(), "tier lacks " + b);
    }
  }

  @Test
  void aFullBatchIsWrittenWithOnePutManyOfBatchSize() throws Exception {
    BatchIOComponent m = manager("batchSize", 10, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (Block b : blocks(0, 10)) {
      futures.add(m.put(tier, b));
    }
    assertEquals(blocks(0, 10), tier.nextCall());
    for (CompletableFuture<Void> f : futures) {
      done(f);
    }
    assertHolds(tier, blocks(0, 10));
    CompletableFuture<Void> eleventh = m.put(tier, block(10));
    m.flush();
    done(eleventh);
    assertEquals(List.of(blocks(0, 10), blocks(10, 1)), tier.calls);
    BatchStats stats = m.stats();
    assertEquals(2, stats.batches());
    assertEquals(11, stats.blocks());
    assertEquals(0, stats.queuedBlocks());
    assertEquals(0, stats.queuedBytes());
  }

  @Test
  void aBatchThatDoesNotFillIsWrittenWhenItsFirstPutIsOld() throws Exception {
    BatchIOComponent m = manager("batchSize", 1000, "batchTimeoutMillis", 20L);
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> f = m.putAll(tier, blocks(0, 3));
    done(f); // no flush, no full batch: only the timeout can have closed it
    assertEquals(3, tier.calls.stream().mapToInt(List::size).sum());
    assertHolds(tier, blocks(0, 3));
  }

  @Test
  void flushClosesTheBatchBeingGathered() throws Exception {
    BatchIOComponent m = manager("batchSize", 1000, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> first = m.putAll(tier, blocks(0, 5));
    m.flush();
    CompletableFuture<Void> second = m.putAll(tier, blocks(5, 5));
    m.flush();
    done(first);
    done(second);
    // Without the flushes, all ten would have waited for one batch.
    assertEquals(List.of(blocks(0, 5), blocks(5, 5)), tier.calls);
  }

  @Test
  void aTierSeesItsBlocksInPutOrder() throws Exception {
    BatchIOComponent m = manager("batchSize", 7, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    List<Block> all = blocks(0, 100);
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int i = 0; i < all.size(); ) {
      int n = i % 3 == 0 ? 1 : Math.min(5, all.size() - i);
      futures.add(n == 1 ? m.put(tier, all.get(i)) : m.putAll(tier, all.subList(i, i + n)));
      i += n;
    }
    m.flush();
    for (CompletableFuture<Void> f : futures) {
      done(f);
    }
    assertEquals(all, tier.calls.stream().flatMap(List::stream).toList());
    assertTrue(tier.calls.stream().allMatch(c -> c.size() <= 7), tier.calls.toString());
  }

  @Test
  void aPutAllSpanningBatchesCompletesWhenTheLastIsWritten() throws Exception {
    BatchIOComponent m = manager("batchSize", 4, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> f = m.putAll(tier, blocks(0, 10));
    assertEquals(blocks(0, 4), tier.nextCall());
    assertEquals(blocks(4, 4), tier.nextCall());
    assertFalse(f.isDone(), "two of the ten blocks are not written yet");
    m.flush();
    done(f);
    assertHolds(tier, blocks(0, 10));
  }

  @Test
  void aCidPutTwiceInOneBatchIsWrittenOnceAndBothPutsComplete() throws Exception {
    BatchIOComponent m = manager("batchSize", 1000, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    Block a = block(1);
    Block b = block(2);
    CompletableFuture<Void> all = m.putAll(tier, List.of(a, b, a));
    CompletableFuture<Void> again = m.put(tier, a);
    m.flush();
    done(all);
    done(again);
    assertEquals(List.of(List.of(a, b)), tier.calls);
    assertEquals(2, m.stats().blocks());
    assertEquals(0, m.stats().queuedBlocks());
  }

  @Test
  void aSlowTierDoesNotHoldUpAnother() throws Exception {
    BatchIOComponent m = manager("batchSize", 1, "batchTimeoutMillis", NEVER);
    WatchedTier slow = tier("hdd");
    WatchedTier fast = tier("ssd");
    slow.hold();
    CompletableFuture<Void> stuck = m.put(slow, block(1));
    assertNotNull(slow.nextCall()); // its writer is inside putMany now
    done(m.put(fast, block(2)));
    assertFalse(stuck.isDone());
    slow.open();
    done(stuck);
    assertHolds(slow, List.of(block(1)));
    assertHolds(fast, List.of(block(2)));
  }

  @Test
  void aFullQueueMakesThePutWaitThenFailThenAdmitsAgainOnceWritten() throws Exception {
    BatchIOComponent m = manager("batchSize", 2, "batchTimeoutMillis", NEVER, "maxQueuedBlocks", 4,
        "enqueueTimeoutMillis", 60_000L);
    WatchedTier tier = tier("ssd");
    tier.hold();
    CompletableFuture<Void> held = m.putAll(tier, blocks(0, 4)); // two batches: one being written, one waiting
    assertEquals(4, m.stats().queuedBlocks());

    // Full: the next put waits in the caller's thread ...
    AtomicReference<CompletableFuture<Void>> waited = new AtomicReference<>();
    Thread putter = new Thread(() -> waited.set(m.put(tier, block(4))), "putter");
    putter.start();
    awaitParked(putter);
    assertEquals(null, waited.get());
    // ... and gets in once the held batches are written.
    tier.open();
    putter.join();
    m.flush();
    done(held);
    done(waited.get());

    // With no time to wait, a put into a full queue fails with the limit and key named.
    m.modified(config("batchSize", 2, "batchTimeoutMillis", NEVER, "maxQueuedBlocks", 4, "enqueueTimeoutMillis", 0L));
    tier.hold();
    CompletableFuture<Void> heldAgain = m.putAll(tier, blocks(10, 4));
    Throwable refused = failure(m.put(tier, block(14)));
    assertInstanceOf(MemoryPressureException.class, refused);
    assertTrue(refused.getMessage().contains("maxQueuedBlocks 4") && refused.getMessage().contains(BatchIOComponent.PID),
        refused.getMessage());

    // Once the queue drains, puts proceed again.
    tier.open();
    done(heldAgain);
    CompletableFuture<Void> after = m.put(tier, block(14));
    m.flush();
    done(after);
    assertHolds(tier, blocks(0, 5));
    assertHolds(tier, blocks(10, 5));
  }

  @Test
  void theByteLimitBoundsTheQueueButAnOversizeBlockAloneIsTaken() throws Exception {
    BatchIOComponent m = manager("batchSize", 1, "batchTimeoutMillis", NEVER, "maxQueuedBytes", 1000L,
        "enqueueTimeoutMillis", 0L);
    WatchedTier tier = tier("ssd");
    tier.hold();
    CompletableFuture<Void> two = m.putAll(tier, List.of(block(1, 400), block(2, 400)));
    Throwable refused = failure(m.put(tier, block(3, 400)));
    assertInstanceOf(MemoryPressureException.class, refused);
    assertTrue(refused.getMessage().contains("maxQueuedBytes 1000"), refused.getMessage());
    tier.open();
    done(two);

    // Larger than the whole byte budget: taken because nothing else is queued ...
    tier.hold();
    Block big = block(4, 5000);
    CompletableFuture<Void> bigPut = m.put(tier, big);
    assertEquals(5000, m.stats().queuedBytes());
    // ... and while it is held, nothing else fits.
    assertInstanceOf(MemoryPressureException.class, failure(m.put(tier, block(5, 10))));
    tier.open();
    done(bigPut);
    assertHolds(tier, List.of(big));
  }

  @Test
  void aSynchronousThrowFailsEveryPutOfThatBatchOnlyWithThatCause() throws Exception {
    BatchIOComponent m = manager("batchSize", 3, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    DiskSpaceLowException cause = new DiskSpaceLowException("disk below the free-space threshold");
    tier.throwNext(cause);
    CompletableFuture<Void> one = m.put(tier, block(1));
    CompletableFuture<Void> two = m.putAll(tier, List.of(block(2), block(3)));
    assertSame(cause, failure(one));
    assertSame(cause, failure(two));
    assertEquals(0, m.stats().queuedBlocks());
    assertEquals(0, m.stats().batches());

    CompletableFuture<Void> next = m.putAll(tier, blocks(10, 3));
    done(next);
    assertHolds(tier, blocks(10, 3));
    assertEquals(1, m.stats().batches());
  }

  @Test
  void aFailedWriteFutureFailsEveryPutOfThatBatchWithItsCauseUnwrapped() throws Exception {
    BatchIOComponent m = manager("batchSize", 2, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    BlockstoreException cause = new BlockstoreException("force failed");
    tier.failNext(cause);
    CompletableFuture<Void> first = m.putAll(tier, blocks(0, 4)); // spans the failing batch and the next
    CompletableFuture<Void> other = m.put(tier, block(9));
    assertSame(cause, failure(first));
    m.flush();
    done(other);
    assertEquals(List.of(blocks(0, 2), blocks(2, 2), List.of(block(9))), tier.calls);
  }

  @Test
  void reconfiguringWhileThreadsPutLosesNothing() throws Exception {
    BatchIOComponent m = manager("batchSize", 100, "batchTimeoutMillis", 5L, "maxQueuedBlocks", 2000,
        "enqueueTimeoutMillis", 60_000L);
    WatchedTier tier = tier("ssd");
    int threads = 4;
    int perThread = 5000;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> putters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      Thread putter = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i += 10) {
          futures.add(i % 20 == 0 ? m.putAll(tier, blocks(base + i, 10)) : putEach(m, tier, blocks(base + i, 10)));
        }
      }, "putter-" + t);
      putters.add(putter);
      putter.start();
    }
    go.countDown();
    Object[][] configs = {
        {"batchSize", 1000, "batchTimeoutMillis", 50L, "maxQueuedBlocks", 5000, "enqueueTimeoutMillis", 60_000L},
        {"batchSize", 10, "batchTimeoutMillis", 1L, "maxQueuedBlocks", 20, "enqueueTimeoutMillis", 60_000L},
        {"batchSize", 500, "maxQueuedBlocks", 100}, // invalid: refused, the previous stays
        {"batchSize", 250, "batchTimeoutMillis", 2L, "maxQueuedBlocks", 300, "maxQueuedBytes", 8192L,
            "enqueueTimeoutMillis", 60_000L},
    };
    for (int round = 0; putters.stream().anyMatch(Thread::isAlive); round++) {
      m.modified(config(configs[round % configs.length]));
      Thread.yield();
    }
    for (Thread putter : putters) {
      putter.join();
    }
    m.flush();
    for (CompletableFuture<Void> f : futures) {
      done(f);
    }
    List<Block> all = blocks(0, threads * perThread);
    assertHolds(tier, all);
    assertEquals(all.size(), tier.calls.stream().mapToInt(List::size).sum());
    assertEquals(0, m.stats().queuedBlocks());
    assertTrue(log.warnings.stream().allMatch(e -> e.contains(BatchIOComponent.PID) && e.contains("maxQueuedBlocks")),
        log.warnings.toString());
  }

  private static CompletableFuture<Void> putEach(BatchIOComponent m, WatchedTier tier, List<Block> blocks) {
    return CompletableFuture.allOf(blocks.stream().map(b -> m.put(tier, b)).toArray(CompletableFuture[]::new));
  }

  @Test
  void anInvalidConfigurationIsRefusedAndThePreviousStays() throws Exception {
    BatchIOComponent m = manager("batchSize", 5, "batchTimeoutMillis", NEVER);
    m.modified(config("batchSize", 0));
    m.modified(config("batchSize", 2000, "maxQueuedBlocks", 1000));
    assertEquals(2, log.warnings.size(), log.warnings.toString());
    assertTrue(log.warnings.get(0).contains(BatchIOComponent.PID) && log.warnings.get(0).contains("batchSize"), log.warnings.get(0));
    assertTrue(log.warnings.get(1).contains("maxQueuedBlocks"), log.warnings.get(1));
    assertEquals(List.of(), log.errors, "a refused configuration is a warning: the manager runs on");
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> f = m.putAll(tier, blocks(0, 5)); // batch size 5 still in force
    done(f);
    assertEquals(List.of(blocks(0, 5)), tier.calls);
  }

  @Test
  void loweringTheBatchSizeClosesABatchAlreadyThatLarge() throws Exception {
    BatchIOComponent m = manager("batchSize", 100, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> f = m.putAll(tier, blocks(0, 10));
    m.modified(config("batchSize", 10, "batchTimeoutMillis", NEVER));
    done(f);
    assertEquals(List.of(blocks(0, 10)), tier.calls);
  }

  @Test
  void stoppingWritesWhatIsQueuedThenRefusesPuts() throws Exception {
    BatchIOComponent m = manager("batchSize", 1000, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> queued = m.putAll(tier, blocks(0, 50));
    m.deactivate();
    assertTrue(queued.isDone(), "deactivate returns once the queue is written");
    done(queued);
    assertHolds(tier, blocks(0, 50));
    Throwable refused = failure(m.put(tier, block(99)));
    assertInstanceOf(BlockstoreException.class, refused);
    assertTrue(refused.getMessage().contains("stopped"), refused.getMessage());
    assertTrue(log.warnings.isEmpty(), log.warnings.toString());
  }

  @Test
  void stoppingRefusesPutsWaitingForRoomAndWaitsForTheHeldWrite() throws Exception {
    BatchIOComponent m = manager("batchSize", 2, "batchTimeoutMillis", NEVER, "maxQueuedBlocks", 2,
        "enqueueTimeoutMillis", 60_000L);
    WatchedTier tier = tier("ssd");
    tier.hold();
    CompletableFuture<Void> held = m.putAll(tier, blocks(0, 2));
    AtomicReference<CompletableFuture<Void>> waited = new AtomicReference<>();
    Thread putter = new Thread(() -> waited.set(m.put(tier, block(2))), "putter");
    putter.start();
    awaitParked(putter);
    Thread stopper = new Thread(m::deactivate, "stopper");
    stopper.start();
    putter.join();
    assertInstanceOf(BlockstoreException.class, failure(waited.get()));
    awaitParked(stopper); // waiting for the held write
    tier.open();
    stopper.join();
    done(held);
  }

  @Test
  void stoppingGivesUpAfterTheDrainTimeoutAndSaysSo() throws Exception {
    BatchIOComponent m = manager("batchSize", 1, "batchTimeoutMillis", NEVER, "drainTimeoutMillis", 0L);
    WatchedTier tier = tier("hdd");
    tier.hold();
    CompletableFuture<Void> held = m.put(tier, block(1));
    m.deactivate();
    assertEquals(1, log.warnings.size(), log.warnings.toString());
    assertTrue(log.warnings.get(0).contains("drainTimeoutMillis") && log.warnings.get(0).contains("1 puts"), log.warnings.get(0));
    // The write still completes the put when the tier finishes it.
    tier.open();
    done(held);
  }

  @Test
  void aContinuationThatPutsAgainAndWaitsDoesNotStallTheTier() throws Exception {
    BatchIOComponent m = manager("batchSize", 1, "batchTimeoutMillis", NEVER);
    WatchedTier tier = tier("ssd");
    CompletableFuture<Void> chained = m.put(tier, block(1)).thenRun(() -> m.put(tier, block(2)).join());
    done(chained);
    assertHolds(tier, blocks(1, 2));
  }

  @Test
  void badArgumentsFailTheFutureAndQueueNothing() throws Exception {
    BatchIOComponent m = manager();
    WatchedTier tier = tier("ssd");
    assertInstanceOf(IllegalArgumentException.class, failure(m.put(null, block(1))));
    assertInstanceOf(IllegalArgumentException.class, failure(m.put(tier, null)));
    assertInstanceOf(IllegalArgumentException.class, failure(m.putAll(tier, null)));
    List<Block> withNull = new ArrayList<>(List.of(block(1)));
    withNull.add(null);
    assertInstanceOf(IllegalArgumentException.class, failure(m.putAll(tier, withNull)));
    assertEquals(0, m.stats().queuedBlocks());
    done(m.putAll(tier, List.of()));
    m.flush();
    assertTrue(tier.calls.isEmpty());
  }

  @Test
  void manyThreadsPutting100kBlocksAllCompleteAndAllAreStored() throws Exception {
    // The default sizes; a generous enqueue timeout, as two shared cores may stall a writer for a while.
    BatchIOComponent m = manager("enqueueTimeoutMillis", 60_000L);
    WatchedTier tier = tier("ssd");
    int threads = 4;
    int perThread = 25_000;
    List<List<Block>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      parts.add(blocks(t * perThread, perThread));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> putters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Block> mine = parts.get(t);
      Random random = new Random(t);
      Thread putter = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < mine.size(); ) {
          int n = Math.min(mine.size() - i, random.nextBoolean() ? 1 : 1 + random.nextInt(300));
          futures.add(n == 1 ? m.put(tier, mine.get(i)) : m.putAll(tier, mine.subList(i, i + n)));
          i += n;
        }
      }, "putter-" + t);
      putters.add(putter);
      putter.start();
    }
    go.countDown();
    for (Thread putter : putters) {
      putter.join();
    }
    for (CompletableFuture<Void> f : futures) {
      done(f);
    }
    for (List<Block> part : parts) {
      assertHolds(tier, part);
    }
    BatchStats stats = m.stats();
    assertEquals(threads * perThread, stats.blocks());
    assertEquals(0, stats.queuedBlocks());
    assertTrue(stats.batchesPerSec() > 0, stats.toString());
    assertTrue(tier.calls.stream().allMatch(c -> c.size() <= 1000));
  }
}
