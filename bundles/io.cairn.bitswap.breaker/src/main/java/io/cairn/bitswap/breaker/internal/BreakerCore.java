package io.cairn.bitswap.breaker.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One resilience4j breaker behind the object a consumer keeps: reconfiguration swaps the resilience4j
 * breaker inside (it starts closed), the consumer's object stays. A <em>lazy</em> breaker makes its
 * resilience4j breaker only at the first failure, so a peer that never fails costs a few fields, not a
 * window of measurements (10,000 connected peers); its window then counts from that failure on.
 *
 * <p>States are resilience4j's, folded to three: forced open is open; disabled and metrics-only are closed.
 */
final class BreakerCore {
  /** The folded state. */
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final String name;
  private final boolean lazy;
  private final Clock clock;
  private final BiConsumer<State, State> transitions;
  private volatile BreakerSettings settings;
  private volatile CircuitBreaker delegate;
  /** While open: the clock's millisecond at which a probe may go. */
  private volatile long openUntilMillis;

  BreakerCore(String name, BreakerSettings settings, Clock clock, boolean lazy, BiConsumer<State, State> transitions) {
    this.name = name;
    this.lazy = lazy;
    this.clock = clock;
    this.transitions = transitions;
    this.settings = settings;
    if (!lazy) {
      delegate = create(settings);
    }
  }

  private CircuitBreaker create(BreakerSettings s) {
    CircuitBreaker cb = CircuitBreaker.of(name, s.toConfig(clock));
    cb.getEventPublisher().onStateTransition(event -> {
      State from = fold(event.getStateTransition().getFromState());
      State to = fold(event.getStateTransition().getToState());
      if (to == State.OPEN) {
        openUntilMillis = clock.millis() + s.waitOpenMillis();
      }
      if (from != to) {
        transitions.accept(from, to);
      }
    });
    return cb;
  }

  private CircuitBreaker created() {
    CircuitBreaker cb = delegate;
    if (cb == null) {
      synchronized (this) {
        cb = delegate;
        if (cb == null) {
          cb = create(settings);
          delegate = cb;
        }
      }
    }
    return cb;
  }

  static State fold(CircuitBreaker.State s) {
    return switch (s) {
      case OPEN, FORCED_OPEN -> State.OPEN;
      case HALF_OPEN -> State.HALF_OPEN;
      default -> State.CLOSED;
    };
  }

  boolean tryAcquire() {
    CircuitBreaker cb = delegate;
    return cb == null || cb.tryAcquirePermission();
  }

  void succeeded(long nanos) {
    CircuitBreaker cb = delegate;
    if (cb != null) {
      cb.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void failed(long nanos, Throwable error) {
    created().onError(nanos, TimeUnit.NANOSECONDS, error);
  }

  void released() {
    CircuitBreaker cb = delegate;
    if (cb != null) {
      cb.releasePermission();
    }
  }

  State state() {
    CircuitBreaker cb = delegate;
    return cb == null ? State.CLOSED : fold(cb.getState());
  }

  /** While open, how long until a probe may go (at least 1 ms); otherwise 0. */
  long retryAfterNanos() {
    if (state() != State.OPEN) {
      return 0;
    }
    return TimeUnit.MILLISECONDS.toNanos(Math.max(1, openUntilMillis - clock.millis()));
  }

  long timeoutNanos() {
    return TimeUnit.MILLISECONDS.toNanos(settings.timeoutMillis());
  }

  /** New thresholds: a fresh, closed resilience4j breaker (a lazy one is made again at the next failure). */
  synchronized void reconfigure(BreakerSettings next) {
    State before = state();
    settings = next;
    delegate = lazy ? null : create(next);
    if (before != State.CLOSED) {
      transitions.accept(before, State.CLOSED);
    }
  }
}
