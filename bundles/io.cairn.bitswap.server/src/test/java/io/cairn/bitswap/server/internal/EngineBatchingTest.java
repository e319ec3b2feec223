package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.batch.internal.AdaptiveBatching;
import io.cairn.bitswap.fixed.internal.StaticBatching;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.priority.internal.ClassPriority;
import io.cairn.bitswap.spi.Batch;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine under a batch strategy: what a batch costs the blockstore, when a held peer goes, swaps. */
class EngineBatchingTest {
  private static AdaptiveBatching adaptive(Map<String, Object> config) {
    return Components.createWith(AdaptiveBatching.class, AdaptiveBatching.class.getName(), config, Components.logger());
  }

  private static List<Block> blocks(String prefix, int n, int size) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[size];
      byte[] name = (prefix + i).getBytes();
      System.arraycopy(name, 0, data, 0, name.length);
      blocks.add(Block.raw(data));
    }
    return blocks;
  }

  private static BitswapMessage wantBlocks(List<Block> blocks) {
    return BitswapMessage.wants(blocks.stream().map(b -> WantlistEntry.wantBlock(b.cid(), 1, false)).toList());
  }

  /** Collects the blocks sent until {@code n} have come (a 10 s guard per message, not a timing assertion). */
  private static Set<Cid> receive(EngineHarness h, int n) throws InterruptedException {
    Set<Cid> got = new HashSet<>();
    while (got.size() < n) {
      got.addAll(h.next().blockCids());
    }
    return got;
  }

  @Test
  void aBatchIsLookedUpInTwoBlockstoreCallsWhereUnbatchedMakesOnePerWant() throws Exception {
    for (boolean batched : new boolean[] {false, true}) {
      try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1))) {
        MetricRegistry registry = new MetricRegistry();
        Components.call(h.engine, "bindMetrics", registry);
        h.bindLimits(new FixedLimits(1 << 30, Long.MAX_VALUE, 128), "test", 10);
        if (batched) {
          h.bindBatch(adaptive(Map.of("minBatchSize", 50)), "adaptive", 10);
        } else {
          h.bindBatch(new StaticBatching(), "static", 0);
        }
        List<Block> blocks = blocks("small", 50, 100);
        blocks.forEach(h.store::add);
        PeerId p = peer();
        h.connect(p);
        h.receive(p, wantBlocks(blocks));
        assertEquals(50, receive(h, 50).size());

        EngineStatus.BatchStatus s = h.engine.status().batching();
        assertEquals(1, s.turns());
        assertEquals(50, s.wants());
        assertEquals(1, registry.histogram(EngineMetrics.BATCH_SIZE).getCount());
        if (batched) {
          assertEquals("adaptive", h.engine.status().batchStrategy());
          assertEquals(2, s.lookupCalls(), "one getSizes and one getMany for the whole batch");
          assertEquals(1, h.store.getSizesCalls.get());
          assertEquals(List.of(blocks.stream().map(Block::cid).toList()), h.store.getManyCalls);
          assertEquals(1L, s.flushes().get("full"));
          assertTrue(registry.getGauges().containsKey("cairn_bitswap_strategy{kind=\"batch\",name=\"adaptive\"}"));
        } else {
          assertEquals("static", h.engine.status().batchStrategy());
          assertEquals(50, s.lookupCalls(), "boxo's engine: one lookup per want");
          assertEquals(List.of(), h.store.getManyCalls);
          assertEquals(1L, s.flushes().get("unbatched"));
          assertTrue(registry.getGauges().containsKey("cairn_bitswap_strategy{kind=\"batch\",name=\"static\"}"));
        }
      }
    }
  }

  @Test
  void aBatchReadsOnlyTheBlocksThatFitThePeersBudgetAndEachBlockOnce() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1))) {
      h.bindLimits(new FixedLimits(64 << 10, Long.MAX_VALUE, 128), "small-budget", 10);
      h.bindBatch(adaptive(Map.of("minBatchSize", 10, "batchTimeoutMillis", 0)), "adaptive", 10);
      List<Block> blocks = blocks("large", 10, 20 << 10);
      blocks.forEach(h.store::add);
      PeerId p = peer();
      h.connect(p);
      h.receive(p, wantBlocks(blocks));
      assertEquals(10, receive(h, 10).size());
      assertEquals(3, h.store.getManyCalls.get(0).size(), "20 KiB blocks: three fit 64 KiB, the first always goes");
      // Turns of several wants read through getMany; a lone last want through one get.
      List<Cid> read = h.store.getManyCalls.stream().flatMap(List::stream).toList();
      assertTrue(read.size() >= 9, h.store.getManyCalls.toString());
      assertEquals(read.size(), new HashSet<>(read).size(), "no block read, put back and read again: " + h.store.getManyCalls);
    }
  }

  @Test
  void aLoneWantWaitsForItsTimeoutAHeldPeerGoesWhenItsBatchFillsAndACriticalWantNeverWaits() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1))) {
      PeerId critical = peer();
      h.bindPriority(Components.createWith(ClassPriority.class, ClassPriority.class.getName(),
          Map.of("criticalPeers", new String[] {critical.toString()}), Components.logger()), "classes", 10);
      h.bindLimits(new FixedLimits(1 << 30, Long.MAX_VALUE, 128), "test", 10);
      h.bindBatch(adaptive(Map.of("minBatchSize", 3, "batchTimeoutMillis", 100, "lingerMillis", 0)), "adaptive", 10);
      List<Block> blocks = blocks("held", 5, 100);
      blocks.forEach(h.store::add);

      PeerId lone = peer();
      h.connect(lone);
      h.receive(lone, wantBlocks(blocks.subList(0, 1)));
      assertEquals(0, h.engine.status().batching().turns(), "held for more wants");
      assertEquals(Set.of(blocks.get(0).cid()), receive(h, 1));
      assertEquals(1L, h.engine.status().batching().flushes().get("timeout"));

      PeerId filling = peer();
      h.connect(filling);
      for (int i = 1; i < 4; i++) {
        h.receive(filling, wantBlocks(blocks.subList(i, i + 1)));
      }
      assertEquals(3, receive(h, 3).size());
      assertEquals(1L, h.engine.status().batching().flushes().get("full"));
      assertEquals(blocks.subList(1, 4).stream().map(Block::cid).collect(java.util.stream.Collectors.toSet()),
          Set.copyOf(h.store.getManyCalls.get(h.store.getManyCalls.size() - 1)), "the three in one pass");

      h.connect(critical);
      h.receive(critical, wantBlocks(blocks.subList(4, 5)));
      assertEquals(Set.of(blocks.get(4).cid()), receive(h, 1));
      EngineStatus.BatchStatus s = h.engine.status().batching();
      assertEquals(1L, s.flushes().get("urgent"));
      assertEquals(1L, s.flushes().get("timeout"), "the critical want was not held");
    }
  }

  /** A batch strategy whose plan throws. */
  private static final class Broken implements BatchRequestProcessor {
    @Override
    public Batch plan(PeerTurn peer, long waitedNanos, int turnSize) {
      throw new IllegalStateException("broken plan");
    }
  }

  @Test
  void aThrowingBatchStrategyIsDroppedForTheNextRankedAndWantsAreStillServed() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of())) {
      h.bindBatch(new StaticBatching(), "static", 0);
      h.bindBatch(new Broken(), "broken", 20);
      List<Block> blocks = blocks("broken", 2, 100);
      blocks.forEach(h.store::add);
      PeerId p = peer();
      h.connect(p);
      h.receive(p, wantBlocks(blocks.subList(0, 1)));
      h.receive(p, wantBlocks(blocks.subList(1, 2)));
      assertEquals(2, receive(h, 2).size());
      assertEquals("static", h.engine.status().batchStrategy());
      assertEquals(1, h.logLines.stream().filter(l -> l.contains("batch strategy broken")).count(), h.logLines.toString());
    }
  }

  @Test
  void aPeerHeldWhenItsStrategyLeavesIsStillServed() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of())) {
      AdaptiveBatching batching = adaptive(Map.of("batchTimeoutMillis", 100));
      h.bindBatch(batching, "adaptive", 10);
      List<Block> blocks = blocks("swap", 1, 100);
      h.store.add(blocks.get(0));
      PeerId p = peer();
      h.connect(p);
      h.receive(p, wantBlocks(blocks));
      h.unbindBatch(batching);
      assertEquals("static (built-in)", h.engine.status().batchStrategy());
      assertEquals(Set.of(blocks.get(0).cid()), receive(h, 1));
    }
  }
}
