package io.cairn.pin.internal;

import static io.cairn.pin.internal.PinnerTest.leaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.pin.GarbageCollector;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.internal.PinnerTest.Dag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir
  Path home;

  /** Records what a run tells its listener. */
  static final class Seen implements GarbageCollector.Listener {
    final Set<Cid> removed = new HashSet<>();
    final List<String> failures = new ArrayList<>();
    long bytes;
    long marked = -1;

    @Override
    public void marked(long blocks) {
      marked = blocks;
    }

    @Override
    public void removed(Cid cid, long size) {
      removed.add(cid);
      bytes += size;
    }

    @Override
    public void failed(Cid cid, String message) {
      failures.add(message);
    }
  }

  @Test
  void removesOnlyWhatNoPinHolds() {
    try (Node n = new Node(home)) {
      Dag pinned = Dag.of("pinned");
      Dag shallow = Dag.of("shallow");
      Dag garbage = Dag.of("garbage");
      Block direct = leaf("direct");
      n.put(pinned.all());
      n.put(shallow.all());
      n.put(garbage.all());
      n.put(direct);
      n.pinner.pin(pinned.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.pinner.pin(shallow.root().cid(), PinType.RECURSIVE, 1, "", null).join();
      n.pinner.pin(direct.cid(), PinType.DIRECT, -1, "", null).join();

      Seen seen = new Seen();
      GarbageCollector.Result r = n.gc.collect(seen).join();

      pinned.cids().forEach(c -> assertTrue(n.has(c), "pinned " + c));
      assertTrue(n.has(direct.cid()));
      assertTrue(n.has(shallow.root().cid()) && n.has(shallow.a().cid()) && n.has(shallow.b().cid()));
      Set<Cid> expected = new HashSet<>(garbage.cids());
      expected.add(shallow.c().cid()); // below the depth-limited pin
      assertEquals(expected, seen.removed);
      expected.forEach(c -> assertFalse(n.has(c), "garbage " + c));
      assertEquals(expected.size(), r.removed());
      long bytes = garbage.cids().size() == 4 ? sizes(garbage.all()) + shallow.c().size() : -1;
      assertEquals(bytes, r.bytesFreed());
      assertEquals(bytes, seen.bytes);
      assertEquals(0, r.errors());
      assertEquals(4 + 3 + 1, r.marked());
      assertEquals(r.marked(), seen.marked);

      // A second run finds nothing more to remove.
      assertEquals(0, n.gc.collect(null).join().removed());
    }
  }

  private static long sizes(Block... bs) {
    long n = 0;
    for (Block b : bs) {
      n += b.size();
    }
    return n;
  }

  @Test
  void blocksPutWhileARunIsUnderWayAreNeverRemoved() {
    try (Node n = new Node(home)) {
      Dag garbage = Dag.of("garbage");
      n.put(garbage.all());
      Block duringMark = leaf("put after marking");
      AtomicBoolean putAgain = new AtomicBoolean();
      n.gc.hooks = new GarbageCollectorComponent.Hooks() {
        @Override
        public void marked() {
          n.put(duringMark);
        }

        @Override
        public void candidate(Cid cid) {
          // The sweep has listed a garbage block and is about to decide on it: a client puts it again now.
          if (cid.equals(garbage.a().cid()) && !putAgain.getAndSet(true)) {
            n.put(garbage.a());
          }
        }
      };
      GarbageCollector.Result r = n.gc.collect(null).join();
      assertTrue(putAgain.get(), "the sweep listed the block");
      assertTrue(n.has(garbage.a().cid()), "put during the sweep");
      assertTrue(n.has(duringMark.cid()), "put during the run");
      assertFalse(n.has(garbage.root().cid()));
      assertFalse(n.has(garbage.b().cid()));
      assertFalse(n.has(garbage.c().cid()));
      assertEquals(3, r.removed());
    }
  }

  @Test
  void aPinMadeWhileTheSweepRunsKeepsItsWholeDag() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("late");
      n.put(d.all());
      n.remote(d.all()); // what the sweep took before the pin reached it is fetched again
      AtomicBoolean pinned = new AtomicBoolean();
      n.gc.hooks = new GarbageCollectorComponent.Hooks() {
        @Override
        public void candidate(Cid cid) {
          if (d.cids().contains(cid) && !pinned.getAndSet(true)) {
            n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
          }
        }
      };
      n.gc.collect(null).join();
      assertTrue(pinned.get());
      d.cids().forEach(c -> assertTrue(n.has(c), "pinned during the sweep: " + c));
      // And nothing else of it goes in the next run either.
      n.gc.collect(null).join();
      d.cids().forEach(c -> assertTrue(n.has(c)));
    }
  }

  /**
   * A pin walking when the run begins has reached blocks the run does not know of; the run removes them
   * (they are garbage until the pin is recorded), and the pin walks again before it records, fetching them.
   */
  @Test
  void aPinUnderWayWhenTheRunBeginsWalksAgainAndIsCompleteWhenRecorded() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("slow");
      n.put(d.root(), d.a(), d.c());
      n.remote(d.all());
      TestDag.Gate gate = n.dag.gate(d.b().cid());
      CompletableFuture<Void> pin = n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null);
      gate.reached().join(); // root, a and c visited; b is being fetched
      GarbageCollector.Result r = n.gc.collect(null).join();
      assertEquals(3, r.removed(), "root, a and c were not pinned yet");
      assertFalse(pin.isDone());
      gate.open().complete(null);
      pin.join();
      d.cids().forEach(c -> assertTrue(n.has(c), "a recorded pin is complete: " + c));
      assertEquals(List.of(d.root().cid()), n.pinner.list(PinType.RECURSIVE).map(p -> p.cid()).toList());
    }
  }

  @Test
  void aPinnedBlockMissingStopsTheRunBeforeAnythingIsRemoved() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("broken");
      Block garbage = leaf("garbage");
      n.put(d.all());
      n.put(garbage);
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.blocks.delete(d.c().cid()).join();
      CompletionException e = assertThrows(CompletionException.class, () -> n.gc.collect(null).join());
      assertInstanceOf(PinException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("nothing was removed"), e.getCause().getMessage());
      assertTrue(n.has(garbage.cid()));
    }
  }

  @Test
  void oneRunAtATime() {
    try (Node n = new Node(home)) {
      AtomicReference<CompletableFuture<GarbageCollector.Result>> second = new AtomicReference<>();
      n.gc.hooks = new GarbageCollectorComponent.Hooks() {
        @Override
        public void marked() {
          second.set(n.gc.collect(null));
        }
      };
      n.gc.collect(null).join();
      CompletionException e = assertThrows(CompletionException.class, () -> second.get().join());
      assertEquals("garbage collection is already running", e.getCause().getMessage());
      n.gc.hooks = GarbageCollectorComponent.Hooks.NONE;
      n.gc.collect(null).join();
    }
  }

  @Test
  void keepWaitsForARemovalUnderWayOfTheSameBlock() {
    LiveSet live = new LiveSet(4);
    Cid cid = leaf("x").cid();
    LiveSet.Claim claim = live.claim(cid);
    CompletableFuture<Void> keeping = CompletableFuture.runAsync(() -> live.keep(cid));
    assertEquals(null, live.claim(cid), "claimed once");
    assertFalse(keeping.isDone() && !claim.done().isDone(), "keep returned while the removal was under way");
    live.release(claim);
    keeping.join();
    assertTrue(live.isLive(cid));
    assertEquals(null, live.claim(cid), "kept blocks are not claimed");
  }

  @Test
  void invalidSettingsAreRefusedWithTheirKey() {
    List<String> log = new ArrayList<>();
    var c = (GarbageCollectorConfig) io.cairn.testing.Components.config(GarbageCollectorConfig.class,
        Map.of("lockStripes", 1000));
    assertTrue(io.cairn.node.config.Configs.validate(GarbageCollectorComponent.PID, c, GarbageCollectorSettings::of,
        io.cairn.testing.Components.logger(log)).isEmpty());
    assertTrue(log.get(0).contains("lockStripes"), log.toString());
  }
}
