package io.cairn.bitswap.breaker.internal;

import io.cairn.node.breaker.CircuitBreakers;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.osgi.service.log.Logger;

/**
 * A resilience4j circuit breaker per key of one scope ({@code cairn.strategy=resilience4j}, ranked above
 * static): the one implementation both scopes register, each configured by its own PID
 * ({@link Resilience4jTierBreakers}, {@link Resilience4jPeerBreakers}). A <em>lazy</em> scope makes a
 * key's resilience4j breaker only at its first failure (most peers never time out, and 10,000 of them
 * must not each hold a window of measurements); a <em>quiet</em> one logs transitions at debug (a storm of
 * peers pausing must not flood the log; the counts are in the metrics), else at warn.
 */
class Resilience4jBreakers implements CircuitBreakers {
  final Logger log;
  private final Clock clock;
  private final String scope;
  private final boolean lazy;
  private final boolean quiet;
  private final Map<String, R4jBreaker> breakers = new ConcurrentHashMap<>();
  private volatile BreakerSettings settings;

  Resilience4jBreakers(Logger log, Clock clock, String scope, boolean lazy, boolean quiet, BreakerSettings settings) {
    this.log = log;
    this.clock = clock;
    this.scope = scope;
    this.lazy = lazy;
    this.quiet = quiet;
    this.settings = settings;
  }

  /** New thresholds, if valid (else logged by the caller's validation and the previous stay). */
  final void reconfigure(Optional<BreakerSettings> valid) {
    valid.ifPresent(next -> {
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
