package io.cairn.pin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.pin.GarbageCollector;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinning and collecting with the real DAG walker (io.cairn.dag) over dag-pb DAGs, all local (no bitswap
 * here: a missing block cannot be fetched and fails the walk).
 */
class RealWalkerTest {
  @TempDir
  Path home;

  /** A directory-shaped dag-pb DAG: root → (file → (chunk0, chunk1), leaf); 5 blocks. */
  record PbDag(Block root, Block file, Block chunk0, Block chunk1, Block leaf) {
    static PbDag of(String label) {
      Block chunk0 = raw(label + " chunk 0");
      Block chunk1 = raw(label + " chunk 1");
      Block leaf = raw(label + " leaf");
      Block file = pb(List.of(new PbLink(chunk0.cid(), "", (long) chunk0.size()),
          new PbLink(chunk1.cid(), "", (long) chunk1.size())), label + " file");
      Block root = pb(List.of(new PbLink(file.cid(), "file", 100L), new PbLink(leaf.cid(), "leaf", 10L)), label + " dir");
      return new PbDag(root, file, chunk0, chunk1, leaf);
    }

    Block[] all() {
      return new Block[] {root, file, chunk0, chunk1, leaf};
    }

    Set<Cid> cids() {
      return Stream.of(all()).map(Block::cid).collect(Collectors.toSet());
    }
  }

  static Block raw(String text) {
    return Block.raw(text.getBytes(StandardCharsets.UTF_8));
  }

  static Block pb(List<PbLink> links, String data) {
    byte[] bytes = DagPb.encode(new PbNode(links, data.getBytes(StandardCharsets.UTF_8)));
    return new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
  }

  private static Set<Cid> listed(Pinner p, PinType type) {
    try (Stream<Pinner.Pin> s = p.list(type)) {
      return s.map(Pinner.Pin::cid).collect(Collectors.toSet());
    }
  }

  @Test
  void pinListCollectAndVerifyOverDagPb() throws PinException {
    try (Node n = Node.withRealWalker(home)) {
      PbDag kept = PbDag.of("kept");
      PbDag shallow = PbDag.of("shallow");
      PbDag garbage = PbDag.of("garbage");
      n.put(kept.all());
      n.put(shallow.all());
      n.put(garbage.all());
      List<Long> progress = new CopyOnWriteArrayList<>();
      n.pinner.pin(kept.root().cid(), PinType.RECURSIVE, -1, "", progress::add).join();
      assertEquals(5L, progress.getLast());
      n.pinner.pin(shallow.root().cid(), PinType.RECURSIVE, 1, "", null).join();

      Set<Cid> indirect = new HashSet<>(kept.cids());
      indirect.remove(kept.root().cid());
      indirect.add(shallow.file().cid());
      indirect.add(shallow.leaf().cid());
      assertEquals(indirect, listed(n.pinner, PinType.INDIRECT));
      assertEquals(kept.root().cid(),
          n.pinner.pinned(kept.chunk1().cid(), Set.of(PinType.INDIRECT)).orElseThrow().via());

      GarbageCollector.Result r = n.gc.collect(null).join();
      Set<Cid> removed = new HashSet<>(garbage.cids());
      removed.add(shallow.chunk0().cid());
      removed.add(shallow.chunk1().cid());
      assertEquals(removed.size(), r.removed());
      removed.forEach(c -> assertFalse(n.has(c), "unpinned " + c));
      kept.cids().forEach(c -> assertTrue(n.has(c), "pinned " + c));

      try (Stream<Pinner.Verification> v = n.pinner.verify()) {
        assertTrue(v.allMatch(Pinner.Verification::ok));
      }
    }
  }

  @Test
  void aDagWithABlockNowhereToBeHadPinsNothing() {
    try (Node n = Node.withRealWalker(home)) {
      PbDag d = PbDag.of("partial");
      n.put(d.root(), d.file(), d.chunk0(), d.leaf());
      CompletionException e = assertThrows(CompletionException.class,
          () -> n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join());
      assertInstanceOf(PinException.class, e.getCause());
      assertEquals(List.of(), n.pinner.list(PinType.RECURSIVE).toList());
    }
  }

  @Test
  void aPinMadeDuringTheSweepKeepsItsWholeDag() {
    try (Node n = Node.withRealWalker(home)) {
      PbDag d = PbDag.of("late");
      List<Block> others = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        others.add(raw("garbage " + i));
      }
      n.put(d.all());
      n.put(others.toArray(Block[]::new));
      AtomicBoolean pinned = new AtomicBoolean();
      n.gc.hooks = new GarbageCollectorComponent.Hooks() {
        @Override
        public void candidate(Cid cid) {
          // The first block of the DAG the sweep lists: none of it is claimed yet, and the pin walks it all now.
          if (d.cids().contains(cid) && !pinned.getAndSet(true)) {
            n.pinner.pin(d.root().cid(), PinType.RECURSIVE, -1, "", null).join();
          }
        }
      };
      GarbageCollector.Result r = n.gc.collect(null).join();
      assertTrue(pinned.get());
      assertEquals(others.size(), r.removed());
      d.cids().forEach(c -> assertTrue(n.has(c), "pinned during the sweep: " + c));
    }
  }

  private static Cid identity(Multicodec codec, byte[] data) {
    return Cid.v1(codec, Multihash.of(Multicodec.IDENTITY.code(), data));
  }

  /**
   * A DAG with identity links (a raw leaf, and an inline dag-pb node linking a stored block) pins without a
   * network, as do identity CIDs themselves; the collector keeps what they reach, never lists or removes an
   * identity CID, and fails nothing; verify passes.
   */
  @Test
  void identityCidsPinAndCollectWithoutTheNetwork() throws PinException {
    try (Node n = Node.withRealWalker(home)) {
      Cid leaf = identity(Multicodec.RAW, "inline leaf".getBytes(StandardCharsets.UTF_8));
      Block stored = raw("stored under an inline node");
      byte[] inlineNode = DagPb.encode(new PbNode(List.of(new PbLink(stored.cid(), "", (long) stored.size())),
          "inline node".getBytes(StandardCharsets.UTF_8)));
      Cid node = identity(Multicodec.DAG_PB, inlineNode);
      Block root = pb(List.of(new PbLink(leaf, "leaf", 11L), new PbLink(node, "node", 40L)), "root");
      Block garbage = raw("garbage");
      n.put(root, stored, garbage);

      n.pinner.pin(root.cid(), PinType.RECURSIVE, -1, "", null).join();
      Cid empty = Cid.parse("bafkqaaa");
      n.pinner.pin(empty, PinType.RECURSIVE, -1, "empty", null).join();
      n.pinner.pin(node, PinType.DIRECT, -1, "", null).join();
      assertEquals(Set.of(root.cid(), empty), listed(n.pinner, PinType.RECURSIVE));
      assertEquals(Set.of(node), listed(n.pinner, PinType.DIRECT));
      assertEquals(Set.of(leaf, node, stored.cid()), listed(n.pinner, PinType.INDIRECT));

      List<Cid> candidates = new CopyOnWriteArrayList<>();
      n.gc.hooks = new GarbageCollectorComponent.Hooks() {
        @Override
        public void candidate(Cid cid) {
          candidates.add(cid);
        }
      };
      GarbageCollector.Result r = n.gc.collect(null).join();
      assertEquals(0, r.errors());
      assertEquals(1, r.removed());
      assertFalse(n.has(garbage.cid()));
      assertTrue(n.has(root.cid()) && n.has(stored.cid()));
      assertTrue(candidates.stream().noneMatch(c -> c.multihash().code() == Multicodec.IDENTITY.code()),
          candidates.toString());
      try (Stream<Pinner.Verification> v = n.pinner.verify()) {
        assertTrue(v.allMatch(Pinner.Verification::ok));
      }
    }
  }
}
