package io.cairn.node.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The holder takes only the strategies of its scope: a filter naming the strategy alone binds both scopes' services. */
class BreakerHolderTest {
  private static final Logger SILENT = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
      new Class<?>[] {Logger.class}, (p, m, a) -> m.getReturnType() == boolean.class ? false : null);

  /** A strategy whose breakers are distinct objects, to tell whose breaker the holder gave. */
  private static final class Named implements CircuitBreakers {
    final Breaker breaker = new Delegate();

    @Override
    public Breaker breaker(String key, BiConsumer<State, State> transitions) {
      return breaker;
    }

    @Override
    public void forget(String key) {}
  }

  private static class Delegate implements CircuitBreakers.Breaker {
    @Override public boolean tryAcquire() { return false; }
    @Override public void succeeded(long nanos) {}
    @Override public void failed(long nanos, Throwable error) {}
    @Override public void released() {}
    @Override public long timeoutNanos() { return 7; }
    @Override public long retryAfterNanos() { return 0; }
    @Override public CircuitBreakers.State state() { return CircuitBreakers.State.OPEN; }
  }

  @Test
  void aStrategyOfAnotherScopeIsNotUsedEvenWhenRankedHigher() {
    BreakerHolder<String> tiers = new BreakerHolder<>(SILENT, CircuitBreakers.SCOPE_TIER, "block tier reads", (k, t) -> {});
    Named tier = new Named();
    Named peer = new Named();
    tiers.bind(tier, Map.of(CircuitBreakers.STRATEGY, "tiered", CircuitBreakers.SCOPE, "tier",
        "service.ranking", 10, "service.id", 2L));
    tiers.bind(peer, Map.of(CircuitBreakers.STRATEGY, "peered", CircuitBreakers.SCOPE, "peer",
        "service.ranking", 20, "service.id", 1L));
    assertEquals("tiered", tiers.inUse());
    assertEquals(7, tiers.breaker("ssd").timeoutNanos(), "the tier strategy's breaker");
  }

  @Test
  void aStrategyOfBothScopesOrOfNoneNamedServesEach() {
    BreakerHolder<String> peers = new BreakerHolder<>(SILENT, CircuitBreakers.SCOPE_PEER, "bitswap sends", (k, t) -> {});
    NeverOpenBreakers both = new NeverOpenBreakers();
    peers.bind(both, Map.of(CircuitBreakers.STRATEGY, "static", CircuitBreakers.SCOPE, new String[] {"tier", "peer"},
        "service.ranking", 0, "service.id", 1L));
    assertEquals("static", peers.inUse());
    Named unscoped = new Named();
    peers.bind(unscoped, Map.of(CircuitBreakers.STRATEGY, "any", "service.ranking", 5, "service.id", 2L));
    assertEquals("any", peers.inUse());
    peers.unbind(unscoped);
    peers.unbind(both);
    assertEquals("none", peers.inUse());
    assertSame(NeverOpenBreakers.CLOSED, peers.breaker("QmPeer"), "no strategy: the never-open breaker");
  }

  @Test
  void aWatcherIsToldTheStrategyInUseAtOnceAndAtEveryChangeOnly() {
    BreakerHolder<String> tiers = new BreakerHolder<>(SILENT, CircuitBreakers.SCOPE_TIER, "block tier reads", (k, t) -> {});
    List<String> told = new ArrayList<>();
    tiers.watchInUse(told::add);
    NeverOpenBreakers fixed = new NeverOpenBreakers();
    Named better = new Named();
    tiers.bind(fixed, Map.of(CircuitBreakers.STRATEGY, "static", "service.ranking", 0, "service.id", 1L));
    tiers.bind(better, Map.of(CircuitBreakers.STRATEGY, "resilience4j", "service.ranking", 10, "service.id", 2L));
    tiers.bind(better, Map.of(CircuitBreakers.STRATEGY, "resilience4j", "service.ranking", 20, "service.id", 2L));
    tiers.bind(better, Map.of(CircuitBreakers.STRATEGY, "resilience4j", "service.ranking", -10, "service.id", 2L));
    tiers.unbind(fixed);
    assertEquals(List.of("none", "static", "resilience4j", "static", "resilience4j"), told,
        "a ranking change that keeps the strategy in use tells nothing");
  }

  @Test
  void aRankingChangeThatKeepsTheStrategyInUseKeepsItsBreakers() {
    BreakerHolder<String> tiers = new BreakerHolder<>(SILENT, CircuitBreakers.SCOPE_TIER, "block tier reads", (k, t) -> {});
    CountingStrategy strategy = new CountingStrategy();
    tiers.bind(strategy, Map.of(CircuitBreakers.STRATEGY, "counting", "service.ranking", 10, "service.id", 1L));
    CircuitBreakers.Breaker ssd = tiers.breaker("ssd");
    tiers.bind(strategy, Map.of(CircuitBreakers.STRATEGY, "counting", "service.ranking", 20, "service.id", 1L));
    tiers.breaker("ssd").failed(1, new RuntimeException("read failed"));
    assertEquals(1, strategy.made, "the tier's breaker (and its state) outlives the ranking change");
    assertEquals(1, strategy.failures);
    assertEquals(ssd.state(), tiers.breaker("ssd").state());
  }

  /** Makes a new breaker for every key asked, counting them and the failures they were told. */
  private static final class CountingStrategy implements CircuitBreakers {
    int made;
    int failures;

    @Override
    public Breaker breaker(String key, BiConsumer<State, State> transitions) {
      made++;
      return new Delegate() {
        @Override
        public void failed(long nanos, Throwable error) {
          failures++;
        }
      };
    }

    @Override
    public void forget(String key) {}
  }
}
