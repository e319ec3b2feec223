package io.cairn.bitswap.breaker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.breaker.CircuitBreakers.State;
import io.cairn.testing.Components;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The tier breaker on a driven clock: opens on failures and on slow reads, probes after the wait, closes. */
class Resilience4jTierBreakersTest {
  private static final long FAST = TimeUnit.MILLISECONDS.toNanos(1);
  private final DrivenClock clock = new DrivenClock();
  private final List<String> log = new ArrayList<>();
  private final List<String> transitions = new CopyOnWriteArrayList<>();

  private Resilience4jTierBreakers guard(Map<String, Object> config) {
    return new Resilience4jTierBreakers(Components.logger(log),
        (TierBreakerConfig) Components.config(TierBreakerConfig.class, config), clock);
  }

  private CircuitBreakers.Breaker breaker(CircuitBreakers guard, String tier) {
    return guard.breaker(tier, (from, to) -> transitions.add(tier + " " + from + "->" + to));
  }

  @Test
  void aTierThatFailsOpensSkipsReadsThenProbesAndCloses() {
    Resilience4jTierBreakers guard = guard(Map.of("minimumNumberOfCalls", 10, "slidingWindowSize", 20,
        "waitDurationInOpenStateMillis", 5000L, "permittedCallsInHalfOpenState", 3));
    CircuitBreakers.Breaker ssd = breaker(guard, "ssd");
    assertSame(ssd, breaker(guard, "ssd"), "the same breaker for the same tier");
    for (int i = 0; i < 9; i++) {
      assertTrue(ssd.tryAcquire());
      ssd.failed(FAST, new IOException("disk gone"));
    }
    assertEquals(State.CLOSED, ssd.state(), "not judged before the minimum number of reads");
    assertTrue(ssd.tryAcquire());
    ssd.failed(FAST, new IOException("disk gone"));
    assertEquals(State.OPEN, ssd.state());
    assertEquals(List.of("ssd CLOSED->OPEN"), transitions);
    assertFalse(ssd.tryAcquire(), "an open tier's reads skip it");

    clock.advance(Duration.ofMillis(4999));
    assertFalse(ssd.tryAcquire(), "still within the wait");
    clock.advance(Duration.ofMillis(2));
    for (int i = 0; i < 3; i++) {
      assertTrue(ssd.tryAcquire(), "probe " + i);
    }
    assertEquals(State.HALF_OPEN, ssd.state());
    assertFalse(ssd.tryAcquire(), "only the permitted probes go");
    for (int i = 0; i < 3; i++) {
      ssd.succeeded(FAST);
    }
    assertEquals(State.CLOSED, ssd.state());
    assertTrue(ssd.tryAcquire());
    ssd.released();
    assertEquals(List.of("ssd CLOSED->OPEN", "ssd OPEN->HALF_OPEN", "ssd HALF_OPEN->CLOSED"), transitions);
    assertEquals(List.of("WARN tier ssd: circuit breaker CLOSED -> OPEN", "WARN tier ssd: circuit breaker OPEN -> HALF_OPEN",
        "WARN tier ssd: circuit breaker HALF_OPEN -> CLOSED"), log);
  }

  @Test
  void aFailedProbeOpensTheTierAgainForAnotherWait() {
    Resilience4jTierBreakers guard = guard(Map.of("minimumNumberOfCalls", 2, "slidingWindowSize", 2,
        "permittedCallsInHalfOpenState", 1));
    CircuitBreakers.Breaker hdd = breaker(guard, "hdd");
    for (int i = 0; i < 2; i++) {
      assertTrue(hdd.tryAcquire());
      hdd.failed(FAST, new TimeoutException());
    }
    assertEquals(State.OPEN, hdd.state());
    clock.advance(Duration.ofSeconds(6));
    assertTrue(hdd.tryAcquire());
    hdd.failed(FAST, new TimeoutException());
    assertEquals(State.OPEN, hdd.state());
    assertFalse(hdd.tryAcquire(), "a new wait began");
  }

  @Test
  void slowReadsOpenTheTierAndAnsweredReadsDoNot() {
    Resilience4jTierBreakers guard = guard(Map.of("minimumNumberOfCalls", 10, "slidingWindowSize", 10,
        "slowCallDurationMillis", 50L, "slowCallRateThreshold", 80));
    CircuitBreakers.Breaker slow = breaker(guard, "slow");
    CircuitBreakers.Breaker quick = breaker(guard, "quick");
    for (int i = 0; i < 100; i++) {
      assertTrue(quick.tryAcquire());
      quick.succeeded(TimeUnit.MILLISECONDS.toNanos(49));
    }
    assertEquals(State.CLOSED, quick.state());
    for (int i = 0; i < 10; i++) {
      assertTrue(slow.tryAcquire());
      slow.succeeded(i < 2 ? FAST : TimeUnit.MILLISECONDS.toNanos(51));
    }
    assertEquals(State.OPEN, slow.state(), "8 of 10 reads were slow");
    assertEquals(State.CLOSED, quick.state(), "tiers have breakers of their own");
  }

  @Test
  void theReadTimeoutIsTheConfiguredOne() {
    assertEquals(TimeUnit.MILLISECONDS.toNanos(500), breaker(guard(Map.of()), "ssd").timeoutNanos());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(75), breaker(guard(Map.of("readTimeoutMillis", 75L)), "ssd").timeoutNanos());
  }

  @Test
  void invalidThresholdsAreRefusedNamingTheKeyAndThePreviousStay() {
    Resilience4jTierBreakers guard = guard(Map.of("minimumNumberOfCalls", 2, "slidingWindowSize", 2));
    CircuitBreakers.Breaker ssd = breaker(guard, "ssd");
    guard.modified((TierBreakerConfig) Components.config(TierBreakerConfig.class,
        Map.of("minimumNumberOfCalls", 30, "slidingWindowSize", 20)));
    guard.modified((TierBreakerConfig) Components.config(TierBreakerConfig.class, Map.of("failureRateThreshold", 0)));
    guard.modified((TierBreakerConfig) Components.config(TierBreakerConfig.class, Map.of("readTimeoutMillis", 0L)));
    assertEquals(3, log.size(), log.toString());
    assertTrue(log.get(0).contains("key minimumNumberOfCalls"), log.get(0));
    assertTrue(log.get(1).contains("key failureRateThreshold"), log.get(1));
    assertTrue(log.get(2).contains("key readTimeoutMillis"), log.get(2));
    for (int i = 0; i < 2; i++) {
      ssd.tryAcquire();
      ssd.failed(FAST, new IOException());
    }
    assertEquals(State.OPEN, ssd.state(), "the previous thresholds (2 reads) still apply");
  }

  @Test
  void newThresholdsApplyLiveAndStartClosed() {
    Resilience4jTierBreakers guard = guard(Map.of("minimumNumberOfCalls", 2, "slidingWindowSize", 2));
    CircuitBreakers.Breaker ssd = breaker(guard, "ssd");
    for (int i = 0; i < 2; i++) {
      ssd.tryAcquire();
      ssd.failed(FAST, new IOException());
    }
    assertEquals(State.OPEN, ssd.state());
    guard.modified((TierBreakerConfig) Components.config(TierBreakerConfig.class,
        Map.of("minimumNumberOfCalls", 5, "slidingWindowSize", 5, "readTimeoutMillis", 100L)));
    assertEquals(State.CLOSED, ssd.state());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(100), ssd.timeoutNanos());
    assertEquals("ssd OPEN->CLOSED", transitions.get(transitions.size() - 1));
    for (int i = 0; i < 4; i++) {
      ssd.tryAcquire();
      ssd.failed(FAST, new IOException());
    }
    assertEquals(State.CLOSED, ssd.state(), "the new minimum is 5 reads");
  }

  @Test
  void aForgottenTierStartsAfresh() {
    Resilience4jTierBreakers guard = guard(Map.of("minimumNumberOfCalls", 1, "slidingWindowSize", 1));
    CircuitBreakers.Breaker ssd = breaker(guard, "ssd");
    ssd.tryAcquire();
    ssd.failed(FAST, new IOException());
    assertEquals(State.OPEN, ssd.state());
    guard.forget("ssd");
    assertEquals(State.CLOSED, breaker(guard, "ssd").state());
  }
}
