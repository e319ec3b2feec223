package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.block;
import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.adaptive.internal.AdaptiveLimits;
import io.cairn.bitswap.fixed.internal.StaticPriority;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.priority.internal.ClassPriority;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Over capacity the lowest class goes first (DONT_HAVE where asked for, else deferred) while better
 * classes are served; under static (one class, no global budget) nothing is shed. Order, not time:
 * the slow tier is a gate the test opens.
 */
class EngineDegradationTest {
  private static ClassPriority classes() {
    return Components.createWith(ClassPriority.class, ClassPriority.class.getName(), Map.of(), Components.logger());
  }

  /** Peer A's two want-blocks fill the 2 lookups on the gated tier; then peer B asks for three things. */
  private record Scene(EngineHarness h, PeerId b, Block have, Block shedable, Block deferrable, Set<Cid> gated) {}

  private static Scene saturate(PriorityRequestManager strategy, String name) throws Exception {
    EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 2));
    h.bindPriority(strategy, name, 10);
    h.bindLimits(new FixedLimits(1 << 30, Long.MAX_VALUE, 2), "two-lookups", 10);
    PeerId a = peer();
    h.connect(a);
    Set<Cid> gated = new HashSet<>();
    List<WantlistEntry> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Block g = block("gated " + i);
      h.store.addGated(g);
      gated.add(g.cid());
      slow.add(WantlistEntry.wantBlock(g.cid(), 1, true));
    }
    h.receive(a, BitswapMessage.wants(slow));
    // Both of A's lookups are in flight (the limit) once the gauge says so.
    for (int i = 0; i < 1000 && h.engine.status().lookupsInFlight() < 2; i++) {
      Thread.sleep(1);
    }
    assertEquals(2, h.engine.status().lookupsInFlight());
    PeerId b = peer();
    Block have = block("b wants to know");
    Block shedable = block("b wants, asks for DONT_HAVE");
    Block deferrable = block("b wants, no DONT_HAVE");
    h.store.add(have);
    h.store.add(shedable);
    h.store.add(deferrable);
    h.connect(b);
    h.receive(b, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(shedable.cid(), 1, true),
        WantlistEntry.wantBlock(deferrable.cid(), 1, false), WantlistEntry.wantHave(have.cid(), 1, true))));
    return new Scene(h, b, have, shedable, deferrable, gated);
  }

  @Test
  void overCapacityTheLowestClassIsShedOrDeferredAndTheHigherClassServed() throws Exception {
    Scene s = saturate(classes(), "classes");
    try (EngineHarness h = s.h()) {
      // While A's lookups hold the tier: B's want-have is answered (its block, being small), the
      // want-block that asked for DONT_HAVE is shed with one, the other waits.
      EngineHarness.Sent first = h.next();
      assertEquals(s.b(), first.peer());
      assertEquals(List.of(new BlockPresence(s.shedable().cid(), PresenceType.DONT_HAVE)), first.presences());
      EngineHarness.Sent second = h.next();
      assertEquals(s.b(), second.peer());
      assertEquals(List.of(s.have().cid()), second.blockCids());
      assertTrue(h.network.sent.isEmpty());
      EngineStatus status = h.engine.status();
      assertEquals(1, status.shed());
      assertEquals(0, h.engine.status().classes().get(1).queued(), "no high want left");
      // Capacity frees: A's blocks and B's deferred want-block go out; nothing else is shed.
      h.store.open();
      Set<Cid> rest = new HashSet<>();
      while (rest.size() < 3) {
        rest.addAll(h.next().blockCids());
      }
      Set<Cid> expected = new HashSet<>(s.gated());
      expected.add(s.deferrable().cid());
      assertEquals(expected, rest);
      assertEquals(1, h.engine.status().shed());
    }
  }

  @Test
  void underStaticNothingIsShedAndEveryWantWaitsItsTurn() throws Exception {
    Scene s = saturate(new StaticPriority(), "static");
    try (EngineHarness h = s.h()) {
      assertEquals(null, h.network.sent.poll(200, TimeUnit.MILLISECONDS), "all wait for the tier");
      h.store.open();
      Set<Cid> served = new HashSet<>();
      while (served.size() < 5) {
        EngineHarness.Sent sent = h.next();
        served.addAll(sent.blockCids());
        assertTrue(sent.presences().isEmpty(), "no DONT_HAVE for blocks we have: " + sent.presences());
      }
      assertEquals(0, h.engine.status().shed());
    }
  }

  @Test
  void withTheGlobalBudgetSpentAPeerWithOnlyLowestClassWantsIsDeferredUntilBytesDrain() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 2))) {
      h.bindPriority(classes(), "classes", 10);
      h.bindLimits(new FixedLimits(1 << 30, 1, 128), "one-byte-budget", 10);
      h.network.hold = true;
      PeerId a = peer();
      Block ablock = block("a's");
      h.store.add(ablock);
      h.connect(a);
      h.receive(a, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(ablock.cid(), 1, true))));
      // A's answer is being written: the one-byte budget is spent.
      assertTrue(h.network.entered.tryAcquire(10, TimeUnit.SECONDS));
      PeerId b = peer();
      Block bblock = block("b's");
      h.store.add(bblock);
      h.connect(b);
      h.receive(b, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(bblock.cid(), 1, false))));
      assertEquals(1, h.engine.status().deferred());
      assertEquals(1, h.engine.status().classes().get(2).queued(), "B's want waits, queued");
      h.network.release(1);
      assertEquals(a, h.next().peer());
      // A's bytes are written: B goes.
      assertTrue(h.network.entered.tryAcquire(10, TimeUnit.SECONDS));
      h.network.release(1);
      EngineHarness.Sent toB = h.next();
      assertEquals(b, toB.peer());
      assertEquals(List.of(bblock.cid()), toB.blockCids());
    }
  }

  /**
   * One worker taking one want a turn, held in each send until the test lets it go, while eight new
   * peers queue: six want-blocks asking for DONT_HAVE, one not asking, and a peer with 20 want-haves (a
   * better class, still waiting throughout); each send is let go 60 ms later on the engine's clock, so
   * the lowest class's wants have waited longer at each turn, past the adaptive limits'
   * {@code shedQueueDelayMillis}. Returns each want-block peer's answer once all have one.
   */
  private static Map<PeerId, BitswapMessage> slowWorker(int shedQueueDelayMillis) throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1, "maxTasksPerEnvelope", 1))) {
      AtomicLong now = new AtomicLong(1_000_000_000L);
      h.engine.clock = now::get;
      h.bindPriority(classes(), "classes", 10);
      h.bindLimits(Components.createWith(AdaptiveLimits.class, AdaptiveLimits.class.getName(),
          Map.of("shedQueueDelayMillis", shedQueueDelayMillis), Components.logger()), "adaptive", 10);
      h.network.hold = true;
      PeerId a = peer();
      Block ablock = block("a's");
      h.store.add(ablock);
      h.connect(a);
      h.receive(a, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(ablock.cid(), 1, true))));
      assertTrue(h.network.entered.tryAcquire(10, TimeUnit.SECONDS), "the worker is in A's send");
      PeerId asker = peer();
      List<WantlistEntry> haves = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Block b = block("asked about " + i);
        h.store.add(b);
        haves.add(WantlistEntry.wantHave(b.cid(), 1, true));
      }
      h.connect(asker);
      h.receive(asker, BitswapMessage.wants(haves));
      Map<PeerId, WantlistEntry> wants = new HashMap<>();
      for (int i = 0; i < 7; i++) {
        Block b = block("wanted " + i);
        h.store.add(b);
        wants.put(peer(), WantlistEntry.wantBlock(b.cid(), 1, i < 6));
      }
      wants.forEach((p, w) -> {
        h.connect(p);
        h.receive(p, BitswapMessage.wants(List.of(w)));
      });
      Map<PeerId, BitswapMessage> answers = new HashMap<>();
      while (answers.size() < wants.size()) {
        now.addAndGet(60_000_000L);
        h.network.release(1);
        EngineHarness.Sent sent = h.next();
        if (wants.containsKey(sent.peer())) {
          answers.put(sent.peer(), sent.message());
        }
      }
      assertEquals(answers.values().stream().mapToLong(m -> m.presences().stream()
          .filter(p -> p.type() == PresenceType.DONT_HAVE).count()).sum(), h.engine.status().shed());
      return answers;
    }
  }

  private static long shed(Map<PeerId, BitswapMessage> answers) {
    return answers.values().stream().filter(m -> m.blocks().isEmpty() && m.presences().stream()
        .anyMatch(p -> p.type() == PresenceType.DONT_HAVE)).count();
  }

  @Test
  void lowestClassWorkWaitingPastTheQueueDelayForAnIntervalIsShed() throws Exception {
    Map<PeerId, BitswapMessage> answers = slowWorker(10);
    // The lowest class's wait has been long for an interval by its third turn (the engine learns it is
    // behind as that turn begins, and serves it); from the fourth on, it sheds: of the six want-blocks
    // that asked for DONT_HAVE, at least three get one.
    long shed = shed(answers);
    assertTrue(shed >= 3 && shed <= 6, "shed " + shed + ": " + answers);
    long served = answers.values().stream().filter(m -> !m.blocks().isEmpty()).count();
    assertEquals(7 - shed, served, "the want-block without DONT_HAVE is deferred, then served: " + answers);
  }

  @Test
  void withoutAQueueDelayLimitNothingIsShed() throws Exception {
    assertEquals(0, shed(slowWorker(0)));
  }
}
