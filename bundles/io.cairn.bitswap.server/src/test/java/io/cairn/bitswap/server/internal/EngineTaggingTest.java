package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.block;
import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnManagerInfo;
import io.cairn.net.TagInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The engine tags a peer while it has queued wants, as boxo's does, so the connection manager keeps it. */
class EngineTaggingTest {
  /** The calls the engine makes on the connection manager, in order. */
  private static final class TagCalls implements ConnManager {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void tagPeer(PeerId peer, String tag, int value) {
      calls.add("tag " + tag + " " + value);
    }

    @Override
    public void untagPeer(PeerId peer, String tag) {
      calls.add("untag " + tag);
    }

    @Override
    public void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert) {
      calls.add("upsert " + tag);
    }

    @Override
    public void protect(PeerId peer, String tag) {
      calls.add("protect " + tag);
    }

    @Override
    public boolean unprotect(PeerId peer, String tag) {
      calls.add("unprotect " + tag);
      return false;
    }

    @Override
    public boolean isProtected(PeerId peer, String tag) {
      return false;
    }

    @Override
    public Optional<TagInfo> tagInfo(PeerId peer) {
      return Optional.empty();
    }

    @Override
    public ConnManagerInfo info() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Integer> trim() {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aPeerIsTaggedWhileItsWantsAreQueuedAndUntaggedOnceServed() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1, "maxTasksPerEnvelope", 1))) {
      TagCalls cm = new TagCalls();
      h.engine.connManager = cm;
      PeerId p = peer();
      List<Block> blocks = List.of(block("a"), block("b"), block("c"));
      blocks.forEach(h.store::add);
      h.connect(p);
      h.receive(p, BitswapMessage.wants(blocks.stream().map(b -> WantlistEntry.wantBlock(b.cid(), 1, false)).toList()));
      List<Cid> served = new ArrayList<>();
      while (served.size() < 3) {
        served.addAll(h.next().blockCids());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cm.calls.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(List.of("tag bs-engine-queued 10", "untag bs-engine-queued"), cm.calls);
    }
  }
}
