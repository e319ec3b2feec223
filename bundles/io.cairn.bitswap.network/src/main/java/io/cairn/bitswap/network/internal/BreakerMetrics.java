package io.cairn.bitswap.network.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.node.breaker.CircuitBreakers.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The peers' circuit breakers in the node's metrics, with no name per peer (10,000 peers must not make
 * 10,000 series): how many peers' breakers are in each state now ({@value #PEERS}{@code {state="open"}})
 * and the transitions counted by the state entered ({@value #TRANSITIONS}{@code {to="open"}}); and the
 * guard strategy in use, beside the engine's strategies ({@value #STRATEGY}{@code {kind="peer_guard",
 * name="resilience4j"}} 1). The only class of this bundle that touches {@code com.codahale.metrics} (an
 * optional import).
 */
final class BreakerMetrics implements AutoCloseable {
  static final String PEERS = "cairn_bitswap_peer_breakers";
  static final String TRANSITIONS = "cairn_bitswap_peer_breaker_transitions";
  static final String STRATEGY = "cairn_bitswap_strategy";

  private final MetricRegistry registry;
  private final List<String> names = new ArrayList<>();
  private String strategyGauge;

  /** @param registry a {@code com.codahale.metrics.MetricRegistry}; {@code counts} reads the peers by state now */
  BreakerMetrics(Object registry, Supplier<Map<State, Integer>> counts) {
    this.registry = (MetricRegistry) registry;
    for (State s : State.values()) {
      String name = PEERS + "{state=\"" + label(s) + "\"}";
      this.registry.remove(name);
      this.registry.register(name, (Gauge<Integer>) () -> counts.get().get(s));
      names.add(name);
      names.add(TRANSITIONS + "{to=\"" + label(s) + "\"}");
    }
  }

  Object registry() {
    return registry;
  }

  void transition(State to) {
    registry.counter(TRANSITIONS + "{to=\"" + label(to) + "\"}").inc();
  }

  /** The guard strategy in use is now {@code name}. */
  synchronized void strategy(String name) {
    if (strategyGauge != null) {
      registry.remove(strategyGauge);
    }
    strategyGauge = STRATEGY + "{kind=\"peer_guard\",name=\"" + name.replaceAll("[\"\\\\,{}\\r\\n]", "_") + "\"}";
    registry.remove(strategyGauge);
    registry.register(strategyGauge, (Gauge<Integer>) () -> 1);
  }

  static String label(State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized void close() {
    names.forEach(registry::remove);
    if (strategyGauge != null) {
      registry.remove(strategyGauge);
    }
  }
}
