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
 *
 * <p>Transitions are seen by reading the state after each call that can change it, not through
 * resilience4j's event publisher: with any consumer registered it builds an event (with a time stamp) for
 * every success, which was most of the cost per call. Two changes between two calls (open, half-open,
 * open again within one probe) are seen as one; the counts are for operators, not for decisions.
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
  /** The state last seen, to tell a transition. */
  private volatile State seen = State.CLOSED;

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
    return CircuitBreaker.of(name, s.toConfig(clock));
  }

  /** After a call on {@code cb}: tells a change of state, once, to the consumer. */
  private void observe(CircuitBreaker cb) {
    State now = fold(cb.getState());
    if (now == seen) {
      return;
    }
    State from;
    synchronized (this) {
      if (cb != delegate || now == seen) {
        return;
      }
      from = seen;
      seen = now;
      if (now == State.OPEN) {
        openUntilMillis = clock.millis() + settings.waitOpenMillis();
      }
    }
    transitions.accept(from, now);
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
    if (cb == null) {
      return true;
    }
    boolean permitted = cb.tryAcquirePermission();
    observe(cb);
    return permitted;
  }

  void succeeded(long nanos) {
    CircuitBreaker cb = delegate;
    if (cb != null) {
      cb.onSuccess(nanos, TimeUnit.NANOSECONDS);
      observe(cb);
    }
  }

  void failed(long nanos, Throwable error) {
    CircuitBreaker cb = created();
    cb.onError(nanos, TimeUnit.NANOSECONDS, error);
    observe(cb);
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
  void reconfigure(BreakerSettings next) {
    State before;
    synchronized (this) {
      before = seen;
      settings = next;
      delegate = lazy ? null : create(next);
      seen = State.CLOSED;
    }
    if (before != State.CLOSED) {
      transitions.accept(before, State.CLOSED);
    }
  }
}
