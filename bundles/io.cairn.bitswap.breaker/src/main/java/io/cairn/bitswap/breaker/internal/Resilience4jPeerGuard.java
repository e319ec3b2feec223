package io.cairn.bitswap.breaker.internal;

import io.cairn.bitswap.spi.PeerGuard;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A resilience4j circuit breaker per bitswap peer ({@code cairn.strategy=resilience4j}, ranked above
 * static). The network reports each message written or timed out; the thresholds are
 * {@link PeerBreakerConfig}'s. A peer's resilience4j breaker is made at its first timeout: most peers
 * never time out, and 10,000 of them must not each hold a window of measurements.
 */
@Component(service = PeerGuard.class, configurationPid = Resilience4jPeerGuard.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {PeerGuard.STRATEGY + "=resilience4j", "service.ranking:Integer=10"})
@Designate(ocd = PeerBreakerConfig.class)
public class Resilience4jPeerGuard implements PeerGuard {
  public static final String PID = "io.cairn.bitswap.breaker.peer";

  private final Logger log;
  private final Clock clock;
  private final Map<PeerId, PeerBreaker> breakers = new ConcurrentHashMap<>();
  private volatile BreakerSettings settings;

  @Activate
  public Resilience4jPeerGuard(@Reference(service = LoggerFactory.class) Logger log, PeerBreakerConfig config) {
    this(log, config, Clock.systemUTC());
  }

  /** With a driven clock (tests). */
  Resilience4jPeerGuard(Logger log, PeerBreakerConfig config, Clock clock) {
    this.log = log;
    this.clock = clock;
    this.settings = Configs.validate(PID, config, BreakerSettings::of, log)
        .orElseGet(() -> BreakerSettings.of(Configs.defaults(PeerBreakerConfig.class)));
  }

  @Modified
  void modified(PeerBreakerConfig config) {
    Configs.validate(PID, config, BreakerSettings::of, log).ifPresent(next -> {
      settings = next;
      breakers.values().forEach(b -> b.core.reconfigure(next));
    });
  }

  @Override
  public Breaker breaker(PeerId peer, BiConsumer<State, State> transitions) {
    return breakers.computeIfAbsent(peer, p -> new PeerBreaker(new BreakerCore(
        "peer " + p, settings, clock, true, (from, to) -> {
          // Per peer at debug: a storm of peers pausing must not flood the log; the counts are in the metrics.
          log.debug("peer {}: circuit breaker {} -> {}", p, from, to);
          transitions.accept(State.valueOf(from.name()), State.valueOf(to.name()));
        })));
  }

  @Override
  public void forget(PeerId peer) {
    breakers.remove(peer);
  }

  /** Breakers kept now (tests: peers that left are forgotten). */
  int size() {
    return breakers.size();
  }

  private static final class PeerBreaker implements PeerGuard.Breaker {
    final BreakerCore core;

    PeerBreaker(BreakerCore core) {
      this.core = core;
    }

    @Override
    public boolean tryAcquire() {
      return core.tryAcquire();
    }

    @Override
    public void succeeded(long nanos) {
      core.succeeded(nanos);
    }

    @Override
    public void failed(long nanos, Throwable error) {
      core.failed(nanos, error);
    }

    @Override
    public void released() {
      core.released();
    }

    @Override
    public long retryAfterNanos() {
      return core.retryAfterNanos();
    }

    @Override
    public State state() {
      return State.valueOf(core.state().name());
    }
  }
}
