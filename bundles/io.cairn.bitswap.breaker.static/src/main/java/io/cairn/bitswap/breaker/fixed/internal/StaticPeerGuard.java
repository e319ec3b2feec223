package io.cairn.bitswap.breaker.fixed.internal;

import io.cairn.bitswap.spi.PeerGuard;
import io.cairn.multiformats.PeerId;
import java.util.function.BiConsumer;
import org.osgi.service.component.annotations.Component;

/**
 * Peer breakers that never open ({@code cairn.strategy=static}, ranking 0): every message is attempted,
 * each bounded only by the network's send timeout, as before breakers existed. The baseline beside
 * resilience4j.
 */
@Component(property = {PeerGuard.STRATEGY + "=static", "service.ranking:Integer=0"})
public class StaticPeerGuard implements PeerGuard {
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
    public long retryAfterNanos() {
      return 0;
    }

    @Override
    public State state() {
      return State.CLOSED;
    }
  };

  @Override
  public Breaker breaker(PeerId peer, BiConsumer<State, State> transitions) {
    return CLOSED;
  }

  @Override
  public void forget(PeerId peer) {}
}
