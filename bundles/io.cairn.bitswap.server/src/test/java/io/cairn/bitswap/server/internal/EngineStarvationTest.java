package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.block;
import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.fixed.internal.StaticPriority;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.priority.internal.ClassPriority;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * boxo#1141 at engine level, as a test of order (not of time): 8 peers with 1,024-want wantlists
 * keep the engine's one task worker busy; a new peer with a single want arrives; we count the
 * messages the worker sends after that before the new peer's. Sends are held one at a time, so the
 * order is the engine's choice alone; the clock is frozen, so nothing is promoted or starved by time.
 */
class EngineStarvationTest {
  private static final int BUSY = 8;
  private static final int WANTS = 1024;

  /** Messages the worker sent, after the new peer's want arrived, before the new peer's answer (0: next). */
  private static int sentBeforeNewPeer(PriorityRequestManager strategy, String name) throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1, "maxTasksPerEnvelope", 64))) {
      h.engine.clock = () -> 0L;
      h.bindPriority(strategy, name, 10);
      h.bindLimits(new FixedLimits(1 << 30, Long.MAX_VALUE, 128), "test", 10);
      h.network.hold = true;
      List<PeerId> busy = new ArrayList<>();
      for (int p = 0; p < BUSY; p++) {
        PeerId peer = peer();
        busy.add(peer);
        h.connect(peer);
        List<WantlistEntry> wants = new ArrayList<>();
        for (int i = 0; i < WANTS; i++) {
          Block b = block("peer " + p + " block " + i);
          h.store.add(b);
          wants.add(WantlistEntry.wantBlock(b.cid(), 1, false));
        }
        h.receive(peer, BitswapMessage.wants(wants));
      }
      // Let every busy peer have a turn, so none of them counts as never served.
      Set<PeerId> served = new HashSet<>();
      while (served.size() < BUSY) {
        assertTrue(h.network.entered.tryAcquire(10, TimeUnit.SECONDS));
        h.network.release(1);
        served.add(h.next().peer());
      }
      // The worker is now held in a send to a busy peer; the new peer's single want arrives.
      assertTrue(h.network.entered.tryAcquire(10, TimeUnit.SECONDS));
      PeerId newcomer = peer();
      Block wanted = block("the newcomer's block");
      h.store.add(wanted);
      h.connect(newcomer);
      h.receive(newcomer, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(wanted.cid(), 1, false))));
      h.network.release(1);
      int before = 0;
      while (true) {
        EngineHarness.Sent s = h.next();
        if (s.peer().equals(newcomer)) {
          assertEquals(List.of(wanted.cid()), s.blockCids());
          break;
        }
        before++;
        assertTrue(h.network.entered.tryAcquire(10, TimeUnit.SECONDS));
        h.network.release(1);
      }
      for (PeerId p : busy) {
        assertTrue(h.engine.wantlist(p).size() > WANTS / 2, "the busy peers' queues are far from drained");
      }
      return before;
    }
  }

  @Test
  void underClassesANewPeersWantGoesBeforeAnyBusyPeerGetsAnotherTurn() throws Exception {
    ClassPriority classes = Components.createWith(ClassPriority.class, ClassPriority.class.getName(), Map.of(),
        Components.logger());
    // Only the send the worker was held in when the want arrived goes first.
    assertEquals(1, sentBeforeNewPeer(classes, "classes"));
  }

  @Test
  void underStaticTheNewPeerWaitsItsTurnBehindEveryBusyPeer() throws Exception {
    // Boxo's round robin (before its fair comparator): the held send, then the 7 busy peers queued ahead.
    assertEquals(BUSY, sentBeforeNewPeer(new StaticPriority(), "static"));
  }
}
