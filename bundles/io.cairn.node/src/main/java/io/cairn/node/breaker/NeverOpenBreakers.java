package io.cairn.node.breaker;

import java.util.function.BiConsumer;

/**
 * Breakers that never open: every call goes through, with no timeout of the breaker's own (a tier read
 * waits as long as the tier takes; a send is bounded only by the network's send timeout), as before
 * breakers existed. The {@code static} strategy registers it; a {@link BreakerHolder} with no working
 * strategy answers its {@link #CLOSED} breaker.
 */
public class NeverOpenBreakers implements CircuitBreakers {
  /** The one breaker, shared by every key: it keeps no state. */
  public static final Breaker CLOSED = new Breaker() {
    @Override
    public boolean tryAcquire() {
      return true;
    }

    @Override
    public void succeeded(long nanos) {}

    @Override
    public void failed(long nanos, Throwable error) {}

    @Override
    public void released() {}

    @Override
    public long timeoutNanos() {
      return 0;
    }

    @Override
    public long retryAfterNanos() {
      return 0;
    }

    @Override
    public State state() {
      return State.CLOSED;
    }
  };

  @Override
  public Breaker breaker(String key, BiConsumer<State, State> transitions) {
    return CLOSED;
  }

  @Override
  public void forget(String key) {}
}
