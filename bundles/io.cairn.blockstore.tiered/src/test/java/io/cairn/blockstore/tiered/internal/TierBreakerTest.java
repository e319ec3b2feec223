package io.cairn.blockstore.tiered.internal;

import static io.cairn.blockstore.tiered.internal.Fixture.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockTier;
import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.testing.Components;
import io.cairn.testing.blockstore.FaultyTier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, test 5 (the tier half): real file tiers, the real batch I/O manager and the real resilience4j
 * breaker strategy; the ssd tier is wrapped to fail or hang ({@link FaultyTier}). A tier that starts
 * failing opens within a second, no read of the fail-fast view (what bitswap serves from) waits past the
 * breaker's timeout, such reads of an open tier never reach it, and traffic returns once it heals. The
 * store's own reads are never cut short. Puts never lose acknowledged data to an open tier.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TierBreakerTest {
  private static final String R4J = "io.cairn.bitswap.breaker.internal.Resilience4jTierBreakers";
  private static final long TIMEOUT_MS = 200;
  private static final long WAIT_MS = 500;
  /** Scheduling slack on a loaded two-core machine, on top of the breaker's timeout. */
  private static final long SLACK_MS = 300;
  private static final Map<String, Object> STORE = Map.of("demotionIntervalMs", 3_600_000L, "promotion", "none");
  private static final Map<String, Object> BREAKER = Map.of("readTimeoutMillis", TIMEOUT_MS, "minimumNumberOfCalls", 10,
      "slidingWindowSize", 20, "waitDurationInOpenStateMillis", WAIT_MS, "permittedCallsInHalfOpenState", 3);

  @TempDir
  Path dir;

  private long serviceIds = 1000;

  private CircuitBreakers bindGuard(Fixture f, int ranking) {
    CircuitBreakers guard = Components.create(CircuitBreakers.class, R4J, f.logger, BREAKER);
    f.store.bindTierGuard(guard, Map.of(CircuitBreakers.STRATEGY, "resilience4j", "service.ranking", ranking,
        "service.id", serviceIds++));
    return guard;
  }

  private static void eventually(String what, long withinMs, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(condition.getAsBoolean(), what);
  }

  private static int gauge(MetricRegistry metrics, String tier) {
    return (Integer) ((Gauge<?>) metrics.getGauges().get(BreakerMetrics.labelled(BreakerMetrics.STATE, "tier", tier))).getValue();
  }

  private static long transitions(MetricRegistry metrics, String tier, String to) {
    var c = metrics.getCounters().get(BreakerMetrics.labelled(BreakerMetrics.TRANSITIONS, "tier", tier, "to", to));
    return c == null ? 0 : c.getCount();
  }

  /** Reads in rounds of 12 at once until {@code done}; every read's wait is kept in {@code longestMs}. */
  private static void readUntil(Fixture f, List<Block> blocks, AtomicLong longestMs, BooleanSupplier done, long withinMs)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not done within " + withinMs + " ms");
      List<CompletableFuture<?>> round = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        long start = System.nanoTime();
        Block b = blocks.get(i % blocks.size());
        round.add(f.store.failFast().get(b.cid()).handle((v, e) -> {
          longestMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
          return null;
        }));
      }
      // Bounded: without a breaker a read of a hanging tier never ends, and that must fail, not hang, the test.
      CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).get(withinMs, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void aHangingTierOpensWithinASecondNoReadWaitsPastTheTimeoutAndTrafficReturnsAfterItHeals() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      FaultyTier ssd = new FaultyTier(f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of()));
      f.bind(ssd, BlockTier.SSD, 100);
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      bindGuard(f, 10);
      MetricRegistry metrics = new MetricRegistry();
      f.store.bindMetrics(metrics);
      Block onlySsd = block(1, 1000);
      Block both = block(2, 1000);
      f.store.put(onlySsd).join();
      ssd.put(both).join();
      hdd.put(both).join();
      assertEquals(onlySsd, f.store.failFast().get(onlySsd.cid()).join());
      assertEquals(0, gauge(metrics, BlockTier.SSD));

      ssd.reads = FaultyTier.Mode.HANG;
      long failingSince = System.nanoTime();
      AtomicLong longestMs = new AtomicLong();
      BooleanSupplier open = () -> gauge(metrics, BlockTier.SSD) == 1;
      readUntil(f, List.of(onlySsd, both), longestMs, open, 5000);
      long openedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSince);
      assertTrue(openedAfterMs < 1000, "opened " + openedAfterMs + " ms after the tier began to hang");
      assertTrue(longestMs.get() <= TIMEOUT_MS + SLACK_MS, "a read waited " + longestMs.get() + " ms");

      // Open: reads skip the tier at once, never reaching it; what only it holds is a miss.
      int reached = ssd.readsReached.get();
      assertEquals(both, f.store.failFast().get(both.cid()).get(1, TimeUnit.SECONDS));
      Throwable miss = assertThrows(CompletionException.class, () -> f.store.failFast().get(onlySsd.cid()).join()).getCause();
      assertInstanceOf(BlockNotFoundException.class, miss);
      assertTrue(miss.getMessage().contains("circuit breaker open: ssd"), miss.getMessage());
      assertFalse(f.store.failFast().has(onlySsd.cid()).get(1, TimeUnit.SECONDS), "bitswap answers DONT_HAVE");
      assertTrue(f.store.failFast().has(both.cid()).get(1, TimeUnit.SECONDS));
      assertEquals(reached, ssd.readsReached.get(), "no read reached the open tier");
      assertEquals(1, transitions(metrics, BlockTier.SSD, "open"));

      // Healed: after the wait, probes go through and the tier closes.
      ssd.reads = FaultyTier.Mode.OK;
      long healedAt = System.nanoTime();
      eventually("the tier closes after it heals", WAIT_MS + 3000, () -> {
        f.store.failFast().get(onlySsd.cid()).exceptionally(e -> null).join();
        return gauge(metrics, BlockTier.SSD) == 0;
      });
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt) >= WAIT_MS - 50, "probes only after the wait");
      assertEquals(onlySsd, f.store.failFast().get(onlySsd.cid()).join());
      assertTrue(f.store.failFast().has(onlySsd.cid()).join());
      assertEquals(1, transitions(metrics, BlockTier.SSD, "half_open"));
      assertEquals(1, transitions(metrics, BlockTier.SSD, "closed"));
    }
  }

  /**
   * The data-loss regression: a local pin walk read a block of a slow tier through the breaker, took the
   * timeout for "missing", and the pin failed; garbage collection then removed the unpinned DAG. A slow
   * tier may be skipped for peers, never for the node's own reads.
   */
  @Test
  void aSlowTierIsSkippedForPeersButTheStoresOwnReadsWaitForIt() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      FaultyTier ssd = new FaultyTier(f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of()));
      f.bind(ssd, BlockTier.SSD, 100);
      bindGuard(f, 10);
      MetricRegistry metrics = new MetricRegistry();
      f.store.bindMetrics(metrics);
      Block block = block(1, 1000);
      f.store.put(block).join();

      ssd.reads = FaultyTier.Mode.SLOW;
      readUntil(f, List.of(block), new AtomicLong(), () -> gauge(metrics, BlockTier.SSD) == 1, 10_000);
      Throwable miss = assertThrows(CompletionException.class, () -> f.store.failFast().get(block.cid()).join()).getCause();
      assertInstanceOf(BlockNotFoundException.class, miss);

      assertEquals(block, f.store.get(block.cid()).get(5, TimeUnit.SECONDS));
      assertTrue(f.store.has(block.cid()).get(5, TimeUnit.SECONDS));
      assertEquals(1000, f.store.getSize(block.cid()).get(5, TimeUnit.SECONDS));
      assertEquals(List.of(block), f.store.getMany(List.of(block.cid())).get(5, TimeUnit.SECONDS));
      assertEquals(List.of(1000), f.store.getSizes(List.of(block.cid())).get(5, TimeUnit.SECONDS));
      assertEquals(1, gauge(metrics, BlockTier.SSD), "the store's own reads are not the breaker's to judge");
    }
  }

  /**
   * A garbage collection pause of a second after a bulk add made the tier guard time out reads of blocks
   * the node has, and bitswap answered DONT_HAVE: the time the whole process stood still is not the tier's.
   */
  @Test
  void timeTheWholeProcessStoodStillDoesNotCountAgainstATiersReadTimeout() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      FaultyTier ssd = new FaultyTier(f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of()));
      f.bind(ssd, BlockTier.SSD, 100);
      bindGuard(f, 10);
      Block block = block(1, 1000);
      f.store.put(block).join();
      ssd.reads = FaultyTier.Mode.SLOW;
      ssd.slowMillis = 3 * TIMEOUT_MS;

      // The process stands still for the read's first 500 ms: it ran 100 ms of the read's 600.
      long stallStart = System.nanoTime();
      long stallNanos = TimeUnit.MILLISECONDS.toNanos(500);
      f.store.bindStalls(() -> Math.min(System.nanoTime() - stallStart, stallNanos));
      assertEquals(block, f.store.failFast().get(block.cid()).get(5, TimeUnit.SECONDS), "answered, not timed out");

      // After the stall the same slow read is the tier's own, and times out.
      Throwable late = assertThrows(CompletionException.class, () -> f.store.failFast().get(block.cid()).join()).getCause();
      assertInstanceOf(TimeoutException.class, late);
    }
  }

  @Test
  void aFailingTierOpensAndReadsGoToTheNextTierMeanwhile() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      FaultyTier ssd = new FaultyTier(f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of()));
      f.bind(ssd, BlockTier.SSD, 100);
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      bindGuard(f, 10);
      MetricRegistry metrics = new MetricRegistry();
      f.store.bindMetrics(metrics);
      Block both = block(2, 1000);
      ssd.put(both).join();
      hdd.put(both).join();

      ssd.reads = FaultyTier.Mode.FAIL;
      long failingSince = System.nanoTime();
      for (int i = 0; gauge(metrics, BlockTier.SSD) != 1; i++) {
        assertTrue(i < 1000, "never opened");
        assertEquals(both, f.store.failFast().get(both.cid()).join(), "the next tier serves it while the first fails");
      }
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSince) < 1000);
      int reached = ssd.readsReached.get();
      for (int i = 0; i < 100; i++) {
        assertEquals(both, f.store.failFast().get(both.cid()).join());
      }
      assertEquals(reached, ssd.readsReached.get(), "no read reached the open tier");
      long warnings = f.warnings().stream().filter(w -> w.contains("reading") && w.contains("failed")).count();
      assertTrue(warnings <= 10, "the failures before opening are logged, not one per read after: " + warnings);
    }
  }

  @Test
  void whileTheWriteTierIsOpenPutsAreDurableInTheNextPersistentTier() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      BlockTier realSsd = f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      FaultyTier ssd = new FaultyTier(realSsd);
      f.bind(ssd, BlockTier.SSD, 100);
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      bindGuard(f, 10);
      ssd.reads = FaultyTier.Mode.FAIL;
      for (int i = 0; i < 10; i++) {
        f.store.failFast().has(block(100 + i, 10).cid()).join();
      }
      assertEquals(CircuitBreakers.State.OPEN, f.store.currentLayout().tiers().stream()
          .filter(t -> t.name.equals(BlockTier.SSD)).map(t -> stateOf(f, t.name)).findFirst().orElseThrow());

      Block put = block(7, 2000);
      f.store.put(put).join();
      assertTrue(hdd.has(put.cid()).join(), "acknowledged: durable in the next persistent tier");
      assertFalse(realSsd.has(put.cid()).join(), "the open tier was not written");
      assertEquals(put, f.store.failFast().get(put.cid()).join());

      ssd.reads = FaultyTier.Mode.OK;
      Block later = block(8, 2000);
      Thread.sleep(WAIT_MS + 50);
      for (int i = 0; i < 3; i++) {
        f.store.failFast().has(block(200 + i, 10).cid()).join();
      }
      assertEquals(CircuitBreakers.State.CLOSED, stateOf(f, BlockTier.SSD));
      f.store.put(later).join();
      assertTrue(realSsd.has(later.cid()).join(), "closed again: writes go to the write tier");
      assertEquals(put, f.store.failFast().get(put.cid()).join(), "what went elsewhere meanwhile is still read");
    }
  }

  @Test
  void withNoOtherPersistentTierPutsStillGoToTheOpenTierAndAreAcknowledgedOnlyWhenDurableThere() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      BlockTier realSsd = f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of());
      FaultyTier ssd = new FaultyTier(realSsd);
      f.bind(ssd, BlockTier.SSD, 100);
      bindGuard(f, 10);
      ssd.reads = FaultyTier.Mode.FAIL;
      for (int i = 0; i < 10; i++) {
        f.store.failFast().has(block(100 + i, 10).cid()).join();
      }
      assertEquals(CircuitBreakers.State.OPEN, stateOf(f, BlockTier.SSD));

      Block kept = block(7, 2000);
      f.store.put(kept).join();
      assertTrue(realSsd.has(kept.cid()).join(), "the only place it can be durable");

      ssd.writes = FaultyTier.Mode.FAIL;
      Block refused = block(8, 2000);
      assertThrows(CompletionException.class, () -> f.store.put(refused).join(), "not durable: not acknowledged");
      assertFalse(realSsd.has(refused.cid()).join());
    }
  }

  @Test
  void aSwapNeverFailsAReadInFlightAndAStrategyThatThrowsIsDroppedOnce() throws Exception {
    try (Fixture f = new Fixture(STORE)) {
      FaultyTier ssd = new FaultyTier(f.openFileTier(BlockTier.SSD, 100, dir.resolve("ssd"), Map.of()));
      f.bind(ssd, BlockTier.SSD, 100);
      BlockTier hdd = f.fileTier(BlockTier.HDD, 200, dir.resolve("hdd"), Map.of());
      CircuitBreakers r4j = bindGuard(f, 10);
      Block both = block(2, 1000);
      ssd.put(both).join();
      hdd.put(both).join();

      // A read in flight under resilience4j keeps its breaker (and its timeout) when the strategy goes.
      ssd.reads = FaultyTier.Mode.HANG;
      CompletableFuture<Block> inFlight = f.store.failFast().get(both.cid());
      f.store.unbindTierGuard(r4j);
      assertEquals("none", f.store.tierGuardInUse());
      assertEquals(both, inFlight.get(TIMEOUT_MS + SLACK_MS, TimeUnit.MILLISECONDS), "answered by hdd after the timeout");
      ssd.reads = FaultyTier.Mode.OK;

      // A strategy that throws, ranked above resilience4j: dropped once, resilience4j used.
      bindGuard(f, 10);
      f.store.bindTierGuard(new ThrowingGuard(), Map.of(CircuitBreakers.STRATEGY, "broken", "service.ranking", 20,
          "service.id", serviceIds++));
      assertEquals("broken", f.store.tierGuardInUse());
      for (int i = 0; i < 20; i++) {
        assertEquals(both, f.store.failFast().get(both.cid()).join());
      }
      assertEquals("resilience4j", f.store.tierGuardInUse());
      long errors = f.warnings().stream().filter(w -> w.startsWith("ERROR tier guard strategy broken")).count();
      assertEquals(1, errors, f.warnings().toString());
    }
  }

  private static CircuitBreakers.State stateOf(Fixture f, String tier) {
    return f.store.tierState(tier);
  }

  /** A strategy whose breakers throw on use. */
  private static final class ThrowingGuard implements CircuitBreakers {
    private final Map<String, Breaker> breakers = new HashMap<>();

    @Override
    public synchronized Breaker breaker(String tier, BiConsumer<State, State> transitions) {
      return breakers.computeIfAbsent(tier, t -> new Breaker() {
        @Override
        public boolean tryAcquire() {
          throw new IllegalStateException("bug in a strategy");
        }

        @Override
        public void succeeded(long nanos) {}

        @Override
        public void failed(long nanos, Throwable error) {}

        @Override
        public void released() {}

        @Override
        public long timeoutNanos() {
          return 0;
        }

        @Override
        public long retryAfterNanos() {
          return 0;
        }

        @Override
        public State state() {
          return State.CLOSED;
        }
      });
    }

    @Override
    public void forget(String tier) {}
  }
}
