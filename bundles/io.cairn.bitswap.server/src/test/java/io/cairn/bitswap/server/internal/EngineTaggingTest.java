package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.block;
import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.net.NetworkCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine tags a peer while it has queued wants, as boxo's does, so the connection manager keeps it. */
class EngineTaggingTest {
  @Test
  void aPeerIsTaggedWhileItsWantsAreQueuedAndUntaggedOnceServed() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1, "maxTasksPerEnvelope", 1))) {
      NetworkCalls cm = new NetworkCalls();
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
