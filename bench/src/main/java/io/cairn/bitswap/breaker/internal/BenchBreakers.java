package io.cairn.bitswap.breaker.internal;

import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** The resilience4j tier breakers with their shipped defaults, for benchmarks outside the package (the config type is package-private). */
public final class BenchBreakers {
  private BenchBreakers() {}

  public static CircuitBreakers tierDefaults(Logger log) {
    return new Resilience4jTierBreakers(log, Configs.defaults(TierBreakerConfig.class));
  }
}
