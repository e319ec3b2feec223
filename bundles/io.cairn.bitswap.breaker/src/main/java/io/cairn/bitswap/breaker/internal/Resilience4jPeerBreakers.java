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
 * The resilience4j breakers registered for bitswap peers ({@code cairn.breaker.scope=peer}): the network
 * reports each message written or timed out; the thresholds are {@link PeerBreakerConfig}'s. Lazy (a
 * peer's resilience4j breaker is made at its first timeout) and quiet (transitions logged at debug).
 */
@Component(service = CircuitBreakers.class, configurationPid = Resilience4jPeerBreakers.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {CircuitBreakers.STRATEGY + "=resilience4j", CircuitBreakers.SCOPE + "=" + CircuitBreakers.SCOPE_PEER,
        "service.ranking:Integer=10"})
@Designate(ocd = PeerBreakerConfig.class)
public class Resilience4jPeerBreakers extends Resilience4jBreakers<PeerBreakerConfig> {
  public static final String PID = "io.cairn.bitswap.breaker.peer";

  @Activate
  public Resilience4jPeerBreakers(@Reference(service = LoggerFactory.class) Logger log, PeerBreakerConfig config) {
    this(log, config, Clock.systemUTC());
  }

  /** With a driven clock (tests). */
  Resilience4jPeerBreakers(Logger log, PeerBreakerConfig config, Clock clock) {
    super(log, clock, CircuitBreakers.SCOPE_PEER, true, true, PID, config, PeerBreakerConfig.class, BreakerSettings::of);
  }

  @Modified
  void modified(PeerBreakerConfig config) {
    reconfigure(config);
  }
}
