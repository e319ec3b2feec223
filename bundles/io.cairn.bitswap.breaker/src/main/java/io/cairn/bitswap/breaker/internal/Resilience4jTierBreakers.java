package io.cairn.bitswap.breaker.internal;

import io.cairn.node.breaker.CircuitBreakers;
import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The resilience4j breakers registered for block tiers ({@code cairn.breaker.scope=tier}): the tiered
 * store reports every read of a tier; the thresholds, read timeout included, are {@link TierBreakerConfig}'s.
 */
@Component(service = CircuitBreakers.class, configurationPid = Resilience4jTierBreakers.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {CircuitBreakers.STRATEGY + "=resilience4j", CircuitBreakers.SCOPE + "=" + CircuitBreakers.SCOPE_TIER,
        "service.ranking:Integer=10"})
@Designate(ocd = TierBreakerConfig.class)
public class Resilience4jTierBreakers extends Resilience4jBreakers<TierBreakerConfig> {
  public static final String PID = "io.cairn.bitswap.breaker.tier";

  @Activate
  public Resilience4jTierBreakers(@Reference(service = LoggerFactory.class) Logger log, TierBreakerConfig config) {
    this(log, config, Clock.systemUTC());
  }

  /** With a driven clock (tests). */
  Resilience4jTierBreakers(Logger log, TierBreakerConfig config, Clock clock) {
    super(log, clock, CircuitBreakers.SCOPE_TIER, false, false, PID, config, TierBreakerConfig.class, BreakerSettings::of);
  }

  @Modified
  void modified(TierBreakerConfig config) {
    reconfigure(config);
  }
}
