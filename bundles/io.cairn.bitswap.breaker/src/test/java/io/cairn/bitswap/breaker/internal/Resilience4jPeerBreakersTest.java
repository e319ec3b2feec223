package io.cairn.bitswap.breaker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.breaker.CircuitBreakers.State;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The peer breaker on a driven clock: pauses a peer whose sends time out, says when to probe, resumes. */
class Resilience4jPeerBreakersTest {
  private final DrivenClock clock = new DrivenClock();
  private final List<String> log = new ArrayList<>();
  private final List<String> transitions = new CopyOnWriteArrayList<>();

  private Resilience4jPeerBreakers guard(Map<String, Object> config) {
    return new Resilience4jPeerBreakers(Components.logger(log),
        (PeerBreakerConfig) Components.config(PeerBreakerConfig.class, config), clock);
  }

  private CircuitBreakers.Breaker breaker(CircuitBreakers guard, PeerId peer) {
    return guard.breaker(peer.toString(), (from, to) -> transitions.add(from + "->" + to));
  }

  private static PeerId peer(int i) {
    return PeerId.fromMultihash(Multihash.digest(Multicodec.SHA2_256, new byte[] {(byte) i}));
  }

  @Test
  void aPeerWhoseSendsTimeOutIsPausedProbedAfterTheWaitAndResumes() {
    Resilience4jPeerBreakers guard = guard(Map.of("waitDurationInOpenStateMillis", 3000L));
    CircuitBreakers.Breaker b = breaker(guard, peer(1));
    for (int i = 0; i < 4; i++) {
      assertTrue(b.tryAcquire());
      b.failed(TimeUnit.SECONDS.toNanos(2), new TimeoutException("send timed out"));
    }
    assertEquals(State.OPEN, b.state());
    assertFalse(b.tryAcquire(), "paused: nothing is attempted");
    assertEquals(TimeUnit.MILLISECONDS.toNanos(3000), b.retryAfterNanos());
    clock.advance(Duration.ofMillis(2500));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(500), b.retryAfterNanos());
    clock.advance(Duration.ofMillis(501));
    assertTrue(b.tryAcquire(), "one probe after the wait");
    assertFalse(b.tryAcquire(), "only one");
    assertEquals(0, b.retryAfterNanos(), "half-open: no wait to report");
    b.succeeded(TimeUnit.MILLISECONDS.toNanos(3));
    assertEquals(State.CLOSED, b.state());
    assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"), transitions);
    assertTrue(log.isEmpty(), "per-peer transitions are not logged above debug: " + log);
  }

  @Test
  void aFailedProbePausesThePeerForAnotherWait() {
    Resilience4jPeerBreakers guard = guard(Map.of("minimumNumberOfCalls", 1, "slidingWindowSize", 1));
    CircuitBreakers.Breaker b = breaker(guard, peer(1));
    b.tryAcquire();
    b.failed(1, new TimeoutException());
    clock.advance(Duration.ofMillis(5001));
    assertTrue(b.tryAcquire());
    b.failed(1, new TimeoutException());
    assertEquals(State.OPEN, b.state());
    assertEquals(TimeUnit.SECONDS.toNanos(5), b.retryAfterNanos());
  }

  @Test
  void successesAloneKeepNoWindowAndARareTimeoutDoesNotPause() {
    Resilience4jPeerBreakers guard = guard(Map.of());
    CircuitBreakers.Breaker b = breaker(guard, peer(1));
    for (int i = 0; i < 1000; i++) {
      assertTrue(b.tryAcquire());
      b.succeeded(1000);
    }
    b.tryAcquire();
    b.failed(1, new TimeoutException());
    for (int i = 0; i < 3; i++) {
      assertTrue(b.tryAcquire());
      b.succeeded(1000);
    }
    assertEquals(State.CLOSED, b.state(), "1 of 4 timed out: under 50%");
  }

  @Test
  void peersHaveBreakersOfTheirOwnAndLeavingForgetsThem() {
    Resilience4jPeerBreakers guard = guard(Map.of("minimumNumberOfCalls", 1, "slidingWindowSize", 1));
    CircuitBreakers.Breaker bad = breaker(guard, peer(1));
    CircuitBreakers.Breaker good = breaker(guard, peer(2));
    bad.tryAcquire();
    bad.failed(1, new TimeoutException());
    assertEquals(State.OPEN, bad.state());
    assertEquals(State.CLOSED, good.state());
    assertEquals(2, guard.size());
    guard.forget(peer(1).toString());
    guard.forget(peer(2).toString());
    assertEquals(0, guard.size());
  }

  @Test
  void invalidThresholdsAreRefusedNamingTheKey() {
    Resilience4jPeerBreakers guard = guard(Map.of());
    guard.modified((PeerBreakerConfig) Components.config(PeerBreakerConfig.class, Map.of("slidingWindowSize", 0)));
    guard.modified((PeerBreakerConfig) Components.config(PeerBreakerConfig.class, Map.of("waitDurationInOpenStateMillis", 0L)));
    assertEquals(2, log.size(), log.toString());
    assertTrue(log.get(0).contains("key slidingWindowSize"), log.get(0));
    assertTrue(log.get(1).contains("key waitDurationInOpenStateMillis"), log.get(1));
  }
}
