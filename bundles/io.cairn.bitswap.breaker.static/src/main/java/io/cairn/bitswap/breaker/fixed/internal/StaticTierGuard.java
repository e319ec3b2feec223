package io.cairn.bitswap.breaker.fixed.internal;

import io.cairn.blockstore.spi.TierGuard;
import java.util.function.BiConsumer;
import org.osgi.service.component.annotations.Component;

/**
 * Tier breakers that never open ({@code cairn.strategy=static}, ranking 0): every read goes to its tier
 * and waits as long as the tier takes, as before breakers existed. The baseline beside resilience4j.
 */
@Component(property = {TierGuard.STRATEGY + "=static", "service.ranking:Integer=0"})
public class StaticTierGuard implements TierGuard {
  private static final Breaker CLOSED = new Breaker() {
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
    public State state() {
      return State.CLOSED;
    }
  };

  @Override
  public Breaker breaker(String tier, BiConsumer<State, State> transitions) {
    return CLOSED;
  }

  @Override
  public void forget(String tier) {}
}
