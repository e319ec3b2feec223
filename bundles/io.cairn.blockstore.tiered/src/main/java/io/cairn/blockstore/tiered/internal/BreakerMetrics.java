package io.cairn.blockstore.tiered.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.node.breaker.CircuitBreakers.State;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The tiers' circuit breakers in the node's metrics: each tier's state
 * ({@value #STATE}{@code {tier="ssd"}}: 0 closed, 1 open, 2 half-open) and its transitions counted by the
 * state entered ({@value #TRANSITIONS}{@code {tier="ssd",to="open"}}); and the guard strategy in use
 * ({@value #STRATEGY}{@code {kind="tier_guard",name="resilience4j"}} 1). Tiers are few: a name per tier is
 * bounded. The only class of this bundle that touches {@code com.codahale.metrics} (an optional import).
 */
final class BreakerMetrics implements AutoCloseable {
  static final String STATE = "cairn_blockstore_tier_breaker_state";
  static final String TRANSITIONS = "cairn_blockstore_tier_breaker_transitions";
  static final String STRATEGY = "cairn_blockstore_strategy";

  private final MetricRegistry registry;
  private final Function<String, State> state;
  private final Set<String> names = ConcurrentHashMap.newKeySet();

  /** @param registry a {@code com.codahale.metrics.MetricRegistry}; {@code state} reads a tier's breaker now */
  BreakerMetrics(Object registry, Function<String, State> state) {
    this.registry = (MetricRegistry) registry;
    this.state = state;
  }

  Object registry() {
    return registry;
  }

  void tierAdded(String tier) {
    String name = labelled(STATE, "tier", tier);
    registry.remove(name);
    registry.register(name, (Gauge<Integer>) () -> code(state.apply(tier)));
    names.add(name);
  }

  /** The guard strategy in use is now {@code name}. */
  synchronized void strategy(String name) {
    names.removeIf(n -> {
      boolean old = n.startsWith(STRATEGY + "{");
      if (old) {
        registry.remove(n);
      }
      return old;
    });
    String gauge = labelled(STRATEGY, "kind", "tier_guard", "name", name);
    registry.remove(gauge);
    registry.register(gauge, (Gauge<Integer>) () -> 1);
    names.add(gauge);
  }

  void tierRemoved(String tier) {
    String name = labelled(STATE, "tier", tier);
    if (names.remove(name)) {
      registry.remove(name);
    }
  }

  void transition(String tier, State to) {
    String name = labelled(TRANSITIONS, "tier", tier, "to", to.name().toLowerCase(Locale.ROOT));
    names.add(name);
    registry.counter(name).inc();
  }

  static int code(State s) {
    return switch (s) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
    };
  }

  /** {@code family{key="value",...}}, the labelled form io.cairn.monitor exports; quotes and braces become _. */
  static String labelled(String family, String... pairs) {
    StringBuilder b = new StringBuilder(family).append('{');
    for (int i = 0; i < pairs.length; i += 2) {
      b.append(i == 0 ? "" : ",").append(pairs[i]).append("=\"")
          .append(pairs[i + 1].replaceAll("[\"\\\\,{}\\r\\n]", "_")).append('"');
    }
    return b.append('}').toString();
  }

  @Override
  public void close() {
    names.forEach(registry::remove);
    names.clear();
  }
}
