package io.cairn.bitswap.breaker.internal;

import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.config.Configs;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.osgi.service.log.Logger;

/**
 * A resilience4j circuit breaker per key of one scope ({@code cairn.strategy=resilience4j}, ranked above
 * static): the one implementation both scopes register, each configured by its own PID
 * ({@link Resilience4jTierBreakers}, {@link Resilience4jPeerBreakers}). A <em>lazy</em> scope makes a
 * key's resilience4j breaker only at its first failure (most peers never time out, and 10,000 of them
 * must not each hold a window of measurements); a <em>quiet</em> one logs transitions at debug (a storm of
 * peers pausing must not flood the log; the counts are in the metrics), else at warn.
 *
 * @param <C> the scope's configuration (its PID's metatype)
 */
class Resilience4jBreakers<C extends Annotation> implements CircuitBreakers {
  private final Logger log;
  private final Clock clock;
  private final String pid;
  private final Function<C, BreakerSettings> validate;
  private final String scope;
  private final boolean lazy;
  private final boolean quiet;
  private final Map<String, R4jBreaker> breakers = new ConcurrentHashMap<>();
  private volatile BreakerSettings settings;

  /**
   * @param config the configuration of {@code pid}: invalid, it is logged (PID and key) and the
   *     defaults of {@code type} apply
   */
  Resilience4jBreakers(Logger log, Clock clock, String scope, boolean lazy, boolean quiet, String pid, C config,
      Class<C> type, Function<C, BreakerSettings> validate) {
    this.log = log;
    this.clock = clock;
    this.scope = scope;
    this.lazy = lazy;
    this.quiet = quiet;
    this.pid = pid;
    this.validate = validate;
    this.settings = Configs.validate(pid, config, validate, log)
        .orElseGet(() -> validate.apply(Configs.defaults(type)));
  }

  /** New thresholds, live: invalid, they are logged (PID and key) and the previous stay. */
  final void reconfigure(C config) {
    Configs.validate(pid, config, validate, log).ifPresent(next -> {
      settings = next;
      breakers.values().forEach(b -> b.core.reconfigure(next));
    });
  }

  @Override
  public Breaker breaker(String key, BiConsumer<State, State> transitions) {
    return breakers.computeIfAbsent(key, k -> new R4jBreaker(new BreakerCore(
        scope + " " + k, settings, clock, lazy, (from, to) -> {
          if (quiet) {
            log.debug("{} {}: circuit breaker {} -> {}", scope, k, from, to);
          } else {
            log.warn("{} {}: circuit breaker {} -> {}", scope, k, from, to);
          }
          transitions.accept(State.valueOf(from.name()), State.valueOf(to.name()));
        })));
  }

  @Override
  public void forget(String key) {
    breakers.remove(key);
  }

  /** Breakers kept now (tests: keys that left are forgotten). */
  int size() {
    return breakers.size();
  }

  private static final class R4jBreaker implements CircuitBreakers.Breaker {
    final BreakerCore core;

    R4jBreaker(BreakerCore core) {
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
    public long retryAfterNanos() {
      return core.retryAfterNanos();
    }

    @Override
    public State state() {
      return State.valueOf(core.state().name());
    }
  }
}
