package io.cairn.bitswap.breaker.internal;

import io.cairn.blockstore.spi.TierGuard;
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
 * A resilience4j circuit breaker per block tier ({@code cairn.strategy=resilience4j}, ranked above
 * static). The tiered store reports every read of a tier; the thresholds are {@link TierBreakerConfig}'s.
 */
@Component(service = TierGuard.class, configurationPid = Resilience4jTierGuard.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {TierGuard.STRATEGY + "=resilience4j", "service.ranking:Integer=10"})
@Designate(ocd = TierBreakerConfig.class)
public class Resilience4jTierGuard implements TierGuard {
  public static final String PID = "io.cairn.bitswap.breaker.tier";

  private final Logger log;
  private final Clock clock;
  private final Map<String, TierBreaker> breakers = new ConcurrentHashMap<>();
  private volatile BreakerSettings settings;

  @Activate
  public Resilience4jTierGuard(@Reference(service = LoggerFactory.class) Logger log, TierBreakerConfig config) {
    this(log, config, Clock.systemUTC());
  }

  /** With a driven clock (tests). */
  Resilience4jTierGuard(Logger log, TierBreakerConfig config, Clock clock) {
    this.log = log;
    this.clock = clock;
    this.settings = Configs.validate(PID, config, BreakerSettings::of, log)
        .orElseGet(() -> BreakerSettings.of(Configs.defaults(TierBreakerConfig.class)));
  }

  @Modified
  void modified(TierBreakerConfig config) {
    Configs.validate(PID, config, BreakerSettings::of, log).ifPresent(next -> {
      settings = next;
      breakers.values().forEach(b -> b.core.reconfigure(next));
    });
  }

  @Override
  public Breaker breaker(String tier, BiConsumer<State, State> transitions) {
    return breakers.computeIfAbsent(tier, name -> new TierBreaker(new BreakerCore(
        "tier " + name, settings, clock, false, (from, to) -> {
          log.warn("tier {}: circuit breaker {} -> {}", name, from, to);
          transitions.accept(State.valueOf(from.name()), State.valueOf(to.name()));
        })));
  }

  @Override
  public void forget(String tier) {
    breakers.remove(tier);
  }

  private static final class TierBreaker implements TierGuard.Breaker {
    final BreakerCore core;

    TierBreaker(BreakerCore core) {
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
    public long timeoutNanos() {
      return core.timeoutNanos();
    }

    @Override
    public State state() {
      return State.valueOf(core.state().name());
    }
  }
}
