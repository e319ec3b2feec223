package io.cairn.pin.internal;

import static io.cairn.pin.internal.TestDag.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import io.cairn.pin.Pinner.Pin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnerTest {
  @TempDir
  Path home;

  static Block leaf(String text) {
    return Block.raw(text.getBytes(StandardCharsets.UTF_8));
  }

  /** root → (a → (c), b). */
  record Dag(Block root, Block a, Block b, Block c) {
    static Dag of(String label) {
      Block c = leaf(label + "-c");
      Block b = leaf(label + "-b");
      Block a = node(label + "-a", c.cid());
      return new Dag(node(label + "-root", a.cid(), b.cid()), a, b, c);
    }

    Block[] all() {
      return new Block[] {root, a, b, c};
    }

    Set<Cid> cids() {
      return Stream.of(all()).map(Block::cid).collect(Collectors.toSet());
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    CompletionException e = assertThrows(CompletionException.class, f::join);
    return e.getCause();
  }

  private static Set<Cid> listed(Pinner p, PinType type) {
    try (Stream<Pin> s = p.list(type)) {
      return s.map(Pin::cid).collect(Collectors.toSet());
    }
  }

  @Test
  void aRecursivePinFetchesEveryBlockReportsProgressAndThenRecordsThePin() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.remote(d.all());
      List<Long> progress = new CopyOnWriteArrayList<>();
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "docs", progress::add).join();
      assertEquals(List.of(1L, 2L, 3L, 4L), progress);
      d.cids().forEach(c -> assertTrue(n.has(c), c + " is local"));
      assertEquals(Set.of(d.root().cid()), listed(n.pinner, PinType.RECURSIVE));
      assertEquals(Set.of(d.a().cid(), d.b().cid(), d.c().cid()), listed(n.pinner, PinType.INDIRECT));
      assertEquals(Set.of(), listed(n.pinner, PinType.DIRECT));
      Pin indirect = n.pinner.pinned(d.c().cid(), EnumSet.allOf(PinType.class)).orElseThrow();
      assertEquals(PinType.INDIRECT, indirect.type());
      assertEquals(d.root().cid(), indirect.via());
      assertEquals("docs", n.pinner.pinned(d.root().cid(), EnumSet.of(PinType.RECURSIVE)).orElseThrow().name());
      assertTrue(n.pinner.pinned(d.c().cid(), EnumSet.of(PinType.RECURSIVE, PinType.DIRECT)).isEmpty());
      assertEquals(1, n.pinner.count(PinType.RECURSIVE));
    } catch (PinException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void pinsSurviveARestartWithTheirTypesNamesAndDepths() {
    Dag d = Dag.of("x");
    Block single = leaf("single");
    try (Node n = new Node(home)) {
      n.put(d.all());
      n.put(single);
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, 1, "shallow", null).join();
      n.pinner.pin(single.cid(), PinType.DIRECT, -1, "one", null).join();
      // The pin call is durable when it returns: a fresh pinner over the same home sees both.
      n.restartPinner();
      assertEquals(List.of(new Pin(d.root().cid(), PinType.RECURSIVE, 1, "shallow", null)),
          n.pinner.list(PinType.RECURSIVE).toList());
      assertEquals(List.of(new Pin(single.cid(), PinType.DIRECT, 0, "one", null)), n.pinner.list(PinType.DIRECT).toList());
    }
  }

  @Test
  void aWalkThatFailsPinsNothing() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.remote(d.root(), d.a(), d.b()); // c can be had from nowhere
      Throwable t = failure(n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null));
      assertInstanceOf(PinException.class, t);
      assertTrue(t.getMessage().contains(d.c().cid().toString()), t.getMessage());
      assertEquals(Set.of(), listed(n.pinner, PinType.RECURSIVE));
      assertEquals(Set.of(), listed(n.pinner, PinType.INDIRECT));
    }
  }

  @Test
  void aCancelledPinPinsNothing() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.remote(d.all());
      TestDag.Gate gate = n.dag.gate(d.b().cid());
      CompletableFuture<Void> pin = n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null);
      gate.reached().join();
      pin.cancel(true);
      gate.open().complete(null);
      assertThrows(CancellationException.class, pin::join);
      assertEquals(Set.of(), listed(n.pinner, PinType.RECURSIVE));
      // The pinner takes new pins after it (its place was freed).
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      assertEquals(Set.of(d.root().cid()), listed(n.pinner, PinType.RECURSIVE));
    }
  }

  @Test
  void unpinAnswersKubosMessages() throws PinException {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      Block single = leaf("single");
      n.put(d.all());
      n.put(single);
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.pinner.pin(single.cid(), PinType.DIRECT, -1, "", null).join();

      assertEquals(Pinner.NOT_PINNED, assertThrows(PinException.class, () -> n.pinner.unpin(d.a().cid(), true)).getMessage());
      assertEquals(Pinner.NOT_PINNED, assertThrows(PinException.class, () -> n.pinner.unpin(leaf("z").cid(), true)).getMessage());
      assertEquals(d.root().cid() + " is pinned recursively",
          assertThrows(PinException.class, () -> n.pinner.unpin(d.root().cid(), false)).getMessage());

      n.pinner.unpin(single.cid(), true); // recursive=true removes a direct pin too, as Kubo
      n.pinner.unpin(d.root().cid(), true);
      assertEquals(Set.of(), listed(n.pinner, PinType.RECURSIVE));
      assertEquals(Set.of(), listed(n.pinner, PinType.DIRECT));
      assertEquals(Pinner.NOT_PINNED, assertThrows(PinException.class, () -> n.pinner.unpin(d.root().cid(), true)).getMessage());
    }
  }

  @Test
  void pinningTwiceRenamesARecursivePinReplacesADirectOneAndADirectPinOfARecursiveOneIsRefused() throws PinException {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.put(d.all());
      n.pinner.pin(d.root().cid(), PinType.DIRECT, -1, "first", null).join();
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      assertEquals(Set.of(), listed(n.pinner, PinType.DIRECT));
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "renamed", null).join();
      assertEquals("renamed", n.pinner.pinned(d.root().cid(), EnumSet.of(PinType.RECURSIVE)).orElseThrow().name());
      Throwable t = failure(n.pinner.pin(d.root().cid(), PinType.DIRECT, -1, "", null));
      assertEquals(d.root().cid() + " already pinned recursively", t.getMessage());
      assertInstanceOf(PinException.class, failure(n.pinner.pin(d.root().cid(), PinType.INDIRECT, -1, "", null)));
      assertInstanceOf(PinException.class, failure(n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -2, "", null)));
      assertInstanceOf(PinException.class, failure(n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "n".repeat(256), null)));
    }
  }

  @Test
  void aDepthLimitedPinFetchesOnlyWhatItReaches() {
    try (Node n = new Node(home)) {
      Dag d = Dag.of("x");
      n.remote(d.all());
      n.pinner.pin(d.root().cid(), PinType.RECURSIVE, 1, "", null).join();
      assertTrue(n.has(d.a().cid()));
      assertTrue(n.has(d.b().cid()));
      assertFalse(n.has(d.c().cid()), "c is below the pin's depth");
      assertEquals(Set.of(d.a().cid(), d.b().cid()), listed(n.pinner, PinType.INDIRECT));
    }
  }

  @Test
  void updatePinsTheNewRootAndUnpinsTheOldUnlessAskedNotTo() throws PinException {
    try (Node n = new Node(home)) {
      Dag one = Dag.of("one");
      Dag two = Dag.of("two");
      Dag three = Dag.of("three");
      n.put(one.all());
      n.remote(two.all());
      n.remote(three.all());
      assertEquals("'from' cid was not recursively pinned already",
          failure(n.pinner.update(one.root().cid(), two.root().cid(), true, null)).getMessage());
      n.pinner.pin(one.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.pinner.update(one.root().cid(), two.root().cid(), true, null).join();
      assertEquals(Set.of(two.root().cid()), listed(n.pinner, PinType.RECURSIVE));
      two.cids().forEach(c -> assertTrue(n.has(c)));
      n.pinner.update(two.root().cid(), three.root().cid(), false, null).join();
      assertEquals(Set.of(two.root().cid(), three.root().cid()), listed(n.pinner, PinType.RECURSIVE));
      assertEquals("'to' cid was already recursively pinned",
          failure(n.pinner.update(two.root().cid(), three.root().cid(), true, null)).getMessage());
      n.pinner.update(two.root().cid(), two.root().cid(), true, null).join(); // same CID: nothing to do
      assertEquals(Set.of(two.root().cid(), three.root().cid()), listed(n.pinner, PinType.RECURSIVE));
    }
  }

  @Test
  void verifyReportsEachRecursivePinAndTheBlockThatIsMissing() {
    try (Node n = new Node(home)) {
      Dag good = Dag.of("good");
      Dag bad = Dag.of("bad");
      n.put(good.all());
      n.put(bad.all());
      n.pinner.pin(good.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.pinner.pin(bad.root().cid(), PinType.RECURSIVE, -1, "", null).join();
      n.blocks.delete(bad.c().cid()).join();
      Map<Cid, Pinner.Verification> results;
      try (Stream<Pinner.Verification> s = n.pinner.verify()) {
        results = s.collect(Collectors.toMap(Pinner.Verification::cid, v -> v));
      }
      assertTrue(results.get(good.root().cid()).ok());
      Pinner.Verification v = results.get(bad.root().cid());
      assertFalse(v.ok());
      assertEquals(bad.c().cid(), v.badNode());
    }
  }

  @Test
  void pinsBeyondTheConcurrencyLimitWaitTheirTurnAndAllComplete() {
    try (Node n = new Node(home, Map.of("maxConcurrentPins", 1), Map.of())) {
      Dag one = Dag.of("one");
      Dag two = Dag.of("two");
      n.remote(one.all());
      n.remote(two.all());
      TestDag.Gate gate = n.dag.gate(one.c().cid());
      CompletableFuture<Void> first = n.pinner.pin(one.root().cid(), PinType.RECURSIVE, -1, "", null);
      gate.reached().join();
      CompletableFuture<Void> second = n.pinner.pin(two.root().cid(), PinType.RECURSIVE, -1, "", null);
      assertFalse(second.isDone(), "the second pin began while the only place was taken");
      assertFalse(n.has(two.root().cid()));
      gate.open().complete(null);
      first.join();
      second.join();
      assertEquals(Set.of(one.root().cid(), two.root().cid()), listed(n.pinner, PinType.RECURSIVE));
    }
  }
}
