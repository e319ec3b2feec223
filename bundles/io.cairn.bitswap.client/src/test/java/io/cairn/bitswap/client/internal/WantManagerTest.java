package io.cairn.bitswap.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.net.spi.InOrderRoutes;
import io.cairn.net.spi.RouteOptimizer;
import io.cairn.node.strategy.Strategies;
import io.cairn.testing.Components;
import io.cairn.testing.net.NetworkCalls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The want manager's events called directly (no manager thread), on a driven clock. */
class WantManagerTest {
  static final long MS = 1_000_000L;
  private final List<BitswapMessage> sent = new ArrayList<>();
  /** Who each sent message went to, in step with {@link #sent}. */
  private final List<PeerId> sentTo = new ArrayList<>();
  private long now = 1_000 * MS;
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

  private final BitswapNetwork network = new BitswapNetwork() {
    @Override
    public CompletableFuture<Void> send(PeerId to, BitswapMessage message) {
      sent.add(message);
      sentTo.add(to);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<PeerId> peers() {
      return Set.of(peer);
    }

    @Override
    public Optional<BitswapProtocol> protocol(PeerId p) {
      return Optional.of(BitswapProtocol.V1_2_0);
    }

    @Override
    public void addReceiver(BitswapReceiver receiver) {}

    @Override
    public void removeReceiver(BitswapReceiver receiver) {}

    @Override
    public void disconnect(PeerId p, String reason) {}
  };

  private final PeerFeedback feedback = new PeerFeedback();
  private final Strategies<RouteOptimizer> routes = new Strategies<>("bitswap route optimizer", InOrderRoutes.INSTANCE,
      "static (built-in)", Components.logger());

  private WantManager manager(Map<String, Object> config) {
    ClientSettings s = WantWindowTest.settings(config);
    return new WantManager(network, (from, block, wanted) -> CompletableFuture.completedFuture(null), feedback, routes, s,
        Components.logger(), () -> now, new SplittableRandom(7));
  }

  private static WantManager.Session session(ClientSettings s) {
    return new WantManager.Session(new WantWindow(() -> s), "bs-ses-test");
  }

  private WantManager.Waiter waiter(WantManager.Session session) {
    return new WantManager.Waiter(session, new CompletableFuture<>(), now + 3_600_000 * MS, Duration.ofHours(1));
  }

  private static Block block(int i) {
    return Block.raw(("block " + i).getBytes(StandardCharsets.UTF_8));
  }

  private int entriesSent() {
    return sent.stream().mapToInt(m -> m.wantlist().size()).sum();
  }

  @Test
  void wantsToABusyPeerGoTogetherAfterTheSendDelay() {
    WantManager m = manager(Map.of());
    ClientSettings s = WantWindowTest.settings(Map.of());
    WantManager.Session session = session(s);
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    m.want(block(0).cid(), waiter(session));
    m.flush(now);
    assertEquals(1, sent.size(), "the first want goes at once");
    for (int i = 1; i <= 10; i++) {
      now += MS;
      m.want(block(i).cid(), waiter(session));
      m.flush(now);
    }
    assertEquals(1, sent.size(), "within the 20 ms delay the wants wait");
    now += 10 * MS;
    m.flush(now);
    assertEquals(2, sent.size());
    assertEquals(10, sent.get(1).wantlist().size(), "one message for the ten");
    for (int i = 11; i < 11 + 256; i++) {
      m.want(block(i).cid(), waiter(session));
    }
    m.flush(now + MS);
    assertEquals(3, sent.size(), "256 entries go without waiting");
    assertEquals(256, sent.get(2).wantlist().size());
  }

  @Test
  void theSessionMeasuresItsRoundTripAndRate() {
    WantManager m = manager(Map.of());
    ClientSettings s = WantWindowTest.settings(Map.of());
    WantManager.Session session = session(s);
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    for (int i = 0; i < 40; i++) {
      m.want(block(i).cid(), waiter(session));
    }
    m.flush(now);
    for (int i = 0; i < 40; i++) {
      now += 5 * MS;
      m.arrived(peer, block(i));
    }
    assertEquals(5 * MS, session.window.minRttNanos(), "want-block queued to block: the first after 5 ms");
    assertTrue(session.window.rate() > 0);
    assertEquals(session.window, m.lastWindow());
  }

  @Test
  void aSessionCountsItsBlocksUntilTheyAreStored() {
    CompletableFuture<Void> store = new CompletableFuture<>();
    ClientSettings s = WantWindowTest.settings(Map.of());
    WantManager m = new WantManager(network, (from, block, wanted) -> store, feedback, routes, s, Components.logger(), () -> now,
        new SplittableRandom(7));
    WantManager.Session session = session(s);
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    WantManager.Waiter first = waiter(session);
    m.want(block(0).cid(), first);
    m.want(block(0).cid(), waiter(session));
    m.want(block(1).cid(), waiter(session));
    m.flush(now);
    m.arrived(peer, block(0));
    m.arrived(peer, block(1));
    assertEquals(2, session.storing.get(), "once per block, however many of the session's gets wait for it");
    assertFalse(first.future().isDone(), "handed out only once stored");
    store.complete(null);
    assertEquals(0, session.storing.get());
    assertTrue(first.future().isDone());
  }

  @Test
  void unansweredWantsAreReSentWithBackoff() {
    WantManager m = manager(Map.of("rebroadcastIntervalMillis", 1_000, "rebroadcastMaxIntervalMillis", 4_000,
        "rebroadcastJitterPercent", 0, "peerResponseTimeoutMillis", 100));
    WantManager.Session session = session(WantWindowTest.settings(Map.of()));
    PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    m.peerConnected(other, BitswapProtocol.V1_2_0);
    m.want(block(0).cid(), waiter(session)); // two peers: want-have to both, nobody answers
    List<Long> resentAt = new ArrayList<>();
    long start = now;
    for (int t = 0; t < 20_000; t += 50) {
      now = start + t * MS;
      long before = m.resends();
      m.tick(now);
      if (m.resends() > before) {
        resentAt.add((now - start) / MS);
      }
    }
    // 1 s, then 2 s later, 4 s later, and 4 s (the cap) from then on.
    assertEquals(List.of(1_000L, 3_000L, 7_000L, 11_000L, 15_000L, 19_000L), resentAt);
  }

  @Test
  void windowRateRoundTripAndReSendsAreGauges() {
    WantManager m = manager(Map.of());
    WantManager.Session session = session(WantWindowTest.settings(Map.of()));
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    m.want(block(0).cid(), waiter(session));
    m.flush(now);
    now += 7 * MS;
    m.arrived(peer, block(0));
    com.codahale.metrics.MetricRegistry registry = new com.codahale.metrics.MetricRegistry();
    ClientMetrics metrics = new ClientMetrics(registry, m::wantBlockCount, m::broadcastCount, m::resends, m::lastWindow);
    assertEquals(32, registry.getGauges().get(ClientMetrics.WINDOW).getValue());
    assertEquals(0.007, (Double) registry.getGauges().get(ClientMetrics.MIN_RTT).getValue(), 1e-9);
    assertEquals(0.007, (Double) registry.getGauges().get(ClientMetrics.RTT).getValue(), 1e-9);
    assertEquals(0L, registry.getGauges().get(ClientMetrics.RESENDS).getValue());
    assertTrue(registry.getGauges().containsKey(ClientMetrics.RATE));
    metrics.close();
    assertTrue(registry.getNames().isEmpty(), registry.getNames().toString());
  }

  /**
   * As boxo's session peer manager: a peer that delivered a block to a session is tagged (5) and protected
   * under the session's tag until it closes; answers and silences count in the peer's quality.
   */
  @Test
  void aSessionTagsAndProtectsThePeersThatServeItAndQualityHearsEveryOutcome() {
    NetworkCalls told = new NetworkCalls();
    feedback.connManager = told;
    feedback.qualities = told;
    WantManager m = manager(Map.of("peerResponseTimeoutMillis", 100));
    WantManager.Session session = session(WantWindowTest.settings(Map.of()));
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    m.want(block(0).cid(), waiter(session));
    m.want(block(1).cid(), waiter(session));
    m.want(block(2).cid(), waiter(session));
    m.flush(now);
    m.arrived(peer, block(0));
    m.arrived(peer, block(1));
    assertEquals(List.of("succeeded", "tag bs-ses-test 5", "protect bs-ses-test", "succeeded"), told.calls,
        "tagged once, however many blocks");
    told.calls.clear();
    now += 200 * MS;
    m.tick(now);
    assertEquals(List.of("failed TIMEOUT"), told.calls, "silent past the response timeout");
    told.calls.clear();
    feedback.closed(session);
    assertEquals(List.of("untag bs-ses-test", "unprotect bs-ses-test"), told.calls);
    told.calls.clear();
    now += MS;
    m.want(block(3).cid(), waiter(session));
    m.flush(now);
    m.arrived(peer, block(3));
    assertEquals(List.of("succeeded"), told.calls, "a closed session tags no more");
  }

  /** A route optimizer that has every want waiting on {@code slow} for 100 ms or more move to another peer. */
  private static final class MoveFromSlow implements RouteOptimizer {
    final PeerId slow;

    MoveFromSlow(PeerId slow) {
      this.slow = slow;
    }

    @Override
    public List<PeerId> rank(List<PeerId> candidates) {
      List<PeerId> ranked = new ArrayList<>(candidates);
      ranked.sort(java.util.Comparator.comparing(slow::equals));
      return ranked;
    }

    @Override
    public Optional<PeerId> moveFrom(PeerId current, long waitedNanos, List<PeerId> alternatives) {
      return current.equals(slow) && waitedNanos >= 100 * MS ? alternatives.stream().findFirst() : Optional.empty();
    }

    @Override
    public Optional<io.cairn.net.RouteException> assess(PeerId p) {
      return p.equals(slow) ? Optional.of(new io.cairn.net.HighLatencyException(p, Duration.ofMillis(300), Duration.ofMillis(200)))
          : Optional.empty();
    }
  }

  /** The route optimizer moves a want-block waiting on a bypassed peer to another that has the block. */
  @Test
  void aWantWaitingOnABypassedPeerMovesToABetterOneThatHasTheBlock() {
    PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    routes.bind(new MoveFromSlow(peer), Map.of(RouteOptimizer.STRATEGY, "test", "service.ranking", 10, "service.id", 1L));
    WantManager m = manager(Map.of("peerResponseTimeoutMillis", 60_000));
    WantManager.Session session = session(WantWindowTest.settings(Map.of()));
    m.peerConnected(peer, BitswapProtocol.V1_2_0);
    m.peerConnected(other, BitswapProtocol.V1_2_0);
    m.want(block(0).cid(), waiter(session)); // two peers: want-have to both
    m.flush(now);
    m.presence(peer, block(0).cid(), io.cairn.bitswap.message.PresenceType.HAVE); // first to answer: asked for the block
    m.presence(other, block(0).cid(), io.cairn.bitswap.message.PresenceType.HAVE);
    sent.clear();
    sentTo.clear();
    now += 50 * MS;
    m.tick(now);
    m.flush(now + 50 * MS);
    assertEquals(0, m.moved(), "waited 50 ms: stays");
    now += 100 * MS;
    m.tick(now);
    m.flush(now + 50 * MS);
    assertEquals(1, m.moved());
    int toOther = sentTo.indexOf(other);
    int toPeer = sentTo.lastIndexOf(peer);
    assertTrue(toOther >= 0 && toPeer >= 0, "a message to each: " + sentTo);
    assertEquals(io.cairn.bitswap.message.WantType.BLOCK, sent.get(toOther).wantlist().get(0).type(), "want-block to the better peer");
    assertTrue(sent.get(toPeer).wantlist().get(0).cancel(), "cancel at the bypassed one");

    // The better peer falls silent too, and the get times out: the cause names the bypassed path.
    WantManager.Waiter w = new WantManager.Waiter(session, new CompletableFuture<>(), now + 10 * MS, Duration.ofMillis(10));
    m.want(block(1).cid(), w);
    m.presence(peer, block(1).cid(), io.cairn.bitswap.message.PresenceType.HAVE);
    now += 20 * MS;
    m.tick(now);
    Throwable timedOut = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
        () -> w.future().get()).getCause();
    assertTrue(timedOut.getCause() instanceof io.cairn.net.HighLatencyException, String.valueOf(timedOut));
    assertTrue(timedOut.getMessage().contains("latency"), timedOut.getMessage());
  }
}
