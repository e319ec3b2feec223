package io.cairn.net.spi;

import io.cairn.multiformats.PeerId;
import io.cairn.net.RouteException;
import java.util.List;
import java.util.Optional;

/**
 * Routing without an optimizer, as boxo routes: peers asked in the order the client knows them, none ever
 * bypassed, no want ever moved. The bitswap client's built-in route (when no {@link RouteOptimizer}
 * service works) and the {@code static} strategy.
 */
public final class InOrderRoutes implements RouteOptimizer {
  public static final InOrderRoutes INSTANCE = new InOrderRoutes();

  private InOrderRoutes() {}

  @Override
  public List<PeerId> rank(List<PeerId> candidates) {
    return candidates;
  }

  @Override
  public Optional<PeerId> moveFrom(PeerId current, long waitedNanos, List<PeerId> alternatives) {
    return Optional.empty();
  }

  @Override
  public Optional<RouteException> assess(PeerId peer) {
    return Optional.empty();
  }
}
