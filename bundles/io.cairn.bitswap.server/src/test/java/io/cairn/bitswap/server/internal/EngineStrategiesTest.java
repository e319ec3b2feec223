package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.block;
import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.fixed.internal.StaticLimits;
import io.cairn.bitswap.fixed.internal.StaticPriority;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.bitswap.spi.PeerRank;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.bitswap.spi.WantRequest;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EngineStrategiesTest {
  private static BitswapLimits staticLimits(Map<String, Object> values) {
    return Components.createWith(BitswapLimits.class, StaticLimits.class.getName(), values, Components.logger());
  }

  @Test
  void underTheStaticStrategyAPeersWantsGoByItsPriorityThenArrivalAsInBoxo() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("taskWorkerCount", 1, "maxTasksPerEnvelope", 1))) {
      h.bindPriority(new StaticPriority(), "static", 0);
      h.bindLimits(staticLimits(Map.of()), "static", 0);
      PeerId p = peer();
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        blocks.add(block("b" + i));
        h.store.add(blocks.get(i));
      }
      h.connect(p);
      h.receive(p, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(blocks.get(0).cid(), 1, false),
          WantlistEntry.wantBlock(blocks.get(1).cid(), 5, false), WantlistEntry.wantBlock(blocks.get(2).cid(), 9, false),
          WantlistEntry.wantBlock(blocks.get(3).cid(), 5, false), WantlistEntry.wantBlock(blocks.get(4).cid(), 1, false))));
      List<Cid> served = new ArrayList<>();
      while (served.size() < 5) {
        served.addAll(h.next().blockCids());
      }
      assertEquals(List.of(blocks.get(2).cid(), blocks.get(1).cid(), blocks.get(3).cid(), blocks.get(0).cid(),
          blocks.get(4).cid()), served);
      assertEquals("static", h.engine.status().priorityStrategy());
      assertEquals(BitswapLimits.BOXO_LOOKUP_CONCURRENCY, h.engine.status().lookupLimit());
      assertEquals(BitswapLimits.BOXO_PEER_OUTSTANDING_BYTES, h.engine.status().peerLimitMaxBytes());
    }
  }

  /** A strategy whose every method throws. */
  private static final class Broken implements PriorityRequestManager, BitswapLimits {
    @Override
    public WantClass classify(WantRequest want) {
      throw new IllegalStateException("broken classify");
    }

    @Override
    public long order(WantRequest want) {
      throw new IllegalStateException("broken order");
    }

    @Override
    public WantClass promote(WantClass current, long waitedNanos) {
      throw new IllegalStateException("broken promote");
    }

    @Override
    public PeerRank rank(PeerTurn peer) {
      throw new IllegalStateException("broken rank");
    }

    @Override
    public long peerOutstandingBytes(PeerId peer) {
      throw new IllegalStateException("broken limits");
    }

    @Override
    public long globalOutstandingBytes() {
      throw new IllegalStateException("broken limits");
    }

    @Override
    public int lookupConcurrency() {
      throw new IllegalStateException("broken limits");
    }

    @Override
    public void sent(PeerId peer, long bytes, long nanos, boolean ok) {
      throw new IllegalStateException("broken limits");
    }

    @Override
    public void lookedUp(long nanos, boolean found, int inFlight) {
      throw new IllegalStateException("broken limits");
    }

    @Override
    public void peerGone(PeerId peer) {
      throw new IllegalStateException("broken limits");
    }
  }

  @Test
  void aStrategyThatThrowsIsDroppedForTheNextRankedAndLoggedOnce() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of())) {
      h.bindPriority(new StaticPriority(), "static", 0);
      h.bindLimits(staticLimits(Map.of()), "static", 0);
      Broken broken = new Broken();
      h.bindPriority(broken, "broken", 10);
      h.bindLimits(broken, "broken", 10);
      PeerId p = peer();
      h.connect(p);
      Set<Cid> wanted = new HashSet<>();
      for (int round = 0; round < 3; round++) {
        List<WantlistEntry> wants = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          Block b = block("r" + round + " b" + i);
          h.store.add(b);
          wanted.add(b.cid());
          wants.add(WantlistEntry.wantBlock(b.cid(), 1, false));
        }
        h.receive(p, BitswapMessage.wants(wants));
      }
      Set<Cid> served = new HashSet<>();
      while (served.size() < wanted.size()) {
        served.addAll(h.next().blockCids());
      }
      assertEquals(wanted, served);
      long errors = h.logLines.stream().filter(l -> l.startsWith("ERROR") && l.contains("broken")).count();
      assertEquals(2, errors, "one line per broken strategy (priority, limits), not one per call: " + h.logLines);
      assertEquals("static", h.engine.status().priorityStrategy());
      assertEquals("static", h.engine.status().limitsStrategy());
    }
  }

  @Test
  void withNoUsableStrategyTheEngineRunsBoxosFixedBehaviour() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of())) {
      Broken broken = new Broken();
      h.bindPriority(broken, "broken", 10);
      h.bindLimits(broken, "broken", 10);
      PeerId p = peer();
      Block b = block("only");
      h.store.add(b);
      h.connect(p);
      h.receive(p, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(b.cid(), 1, false))));
      assertEquals(List.of(b.cid()), h.next().blockCids());
      assertEquals("static (built-in)", h.engine.status().limitsStrategy());
    }
  }

  /** Fixed limits that record what the engine tells them of each peer, in order. */
  private static final class Told implements BitswapLimits {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public long peerOutstandingBytes(PeerId peer) {
      return BitswapLimits.BOXO_PEER_OUTSTANDING_BYTES;
    }

    @Override
    public long globalOutstandingBytes() {
      return Long.MAX_VALUE;
    }

    @Override
    public int lookupConcurrency() {
      return BitswapLimits.BOXO_LOOKUP_CONCURRENCY;
    }

    @Override
    public void sent(PeerId peer, long bytes, long nanos, boolean ok) {
      events.add("sent " + peer);
    }

    @Override
    public void lookedUp(long nanos, boolean found, int inFlight) {}

    @Override
    public void peerRtt(PeerId peer, long nanos) {
      events.add("rtt " + peer + " " + nanos);
    }

    @Override
    public void peerGone(PeerId peer) {}

    /** The next event, waiting up to 10 s (a deadlock guard, not a timing assertion). */
    String next() throws InterruptedException {
      String e = events.poll(10, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("the limits were told nothing within 10 s");
      }
      return e;
    }
  }

  @Test
  void theLimitsLearnEachPeersMeasuredRoundTripWithTheSendsThatCompleteBeforeTheBytesCrossThePath() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of())) {
      Told told = new Told();
      h.bindLimits(told, "told", 10);
      PeerId p = peer();
      Block near = block("before the connection measured its round trip");
      Block far = block("after");
      h.store.add(near);
      h.store.add(far);
      h.connect(p);
      h.receive(p, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(near.cid(), 1, false))));
      assertEquals(List.of(near.cid()), h.next().blockCids());
      assertEquals("sent " + p, told.next(), "nothing to tell before the connection measured it");
      h.network.roundTrip = Duration.ofMillis(42);
      h.receive(p, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(far.cid(), 1, false))));
      assertEquals(List.of(far.cid()), h.next().blockCids());
      assertEquals("rtt " + p + " " + Duration.ofMillis(42).toNanos(), told.next());
      assertEquals("sent " + p, told.next(), "told before the completion it sizes");
    }
  }

  @Test
  void swappingStrategiesUnderTrafficFailsNoWant() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of("maxTasksPerEnvelope", 4))) {
      BitswapLimits base = staticLimits(Map.of());
      h.bindPriority(new StaticPriority(), "static", 0);
      h.bindLimits(base, "static", 0);
      List<PeerId> peers = List.of(peer(), peer(), peer(), peer());
      peers.forEach(h::connect);
      AtomicBoolean swapping = new AtomicBoolean(true);
      Thread swapper = Thread.ofPlatform().start(() -> {
        int i = 0;
        while (swapping.get()) {
          PriorityRequestManager p = new StaticPriority();
          // Tight limits in turn with loose ones: wants move between them mid-flight.
          BitswapLimits l = new FixedLimits(i % 2 == 0 ? 65536 : 4 << 20, Long.MAX_VALUE, 1 + i % 3);
          h.bindPriority(p, "swap" + i, 10);
          h.bindLimits(l, "swap" + i, 10);
          Thread.onSpinWait();
          h.unbindPriority(p);
          h.unbindLimits(l);
          i++;
        }
      });
      Set<Cid> wanted = new HashSet<>();
      for (int round = 0; round < 10; round++) {
        for (PeerId p : peers) {
          List<WantlistEntry> wants = new ArrayList<>();
          for (int i = 0; i < 25; i++) {
            Block b = block(p + " " + round + " " + i);
            h.store.add(b);
            wanted.add(b.cid());
            wants.add(WantlistEntry.wantBlock(b.cid(), i, false));
          }
          h.receive(p, BitswapMessage.wants(wants));
        }
      }
      Set<Cid> served = new HashSet<>();
      try {
        while (served.size() < wanted.size()) {
          EngineHarness.Sent s = h.next();
          served.addAll(s.blockCids());
          assertTrue(s.presences().isEmpty(), "no DONT_HAVE for blocks we have: " + s.presences());
        }
      } finally {
        swapping.set(false);
        swapper.join();
      }
      assertEquals(wanted, served);
      assertTrue(h.logLines.isEmpty(), h.logLines.toString());
    }
  }

  @Test
  void aTargetThatIsNotAFilterIsRefusedNamingItsKey() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EngineSettings.of(
        (EngineConfig) Components.config(EngineConfig.class, Map.of("limits_target", "(cairn.strategy=static"))));
    assertEquals("limits.target", e.key());
  }
}
