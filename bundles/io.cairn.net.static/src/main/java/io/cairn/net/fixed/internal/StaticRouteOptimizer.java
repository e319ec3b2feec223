package io.cairn.net.fixed.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.net.RouteException;
import io.cairn.net.spi.InOrderRoutes;
import io.cairn.net.spi.RouteOptimizer;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * Bitswap routing in the order peers answered ({@link InOrderRoutes}) as a strategy service; ranked above
 * the {@code quality} optimizer (10 against 0), the default while that one has not shown a benefit.
 */
@Component(property = {RouteOptimizer.STRATEGY + "=static", "service.ranking:Integer=10"})
public class StaticRouteOptimizer implements RouteOptimizer {
  @Override
  public List<PeerId> rank(List<PeerId> candidates) {
    return InOrderRoutes.INSTANCE.rank(candidates);
  }

  @Override
  public Optional<PeerId> moveFrom(PeerId current, long waitedNanos, List<PeerId> alternatives) {
    return InOrderRoutes.INSTANCE.moveFrom(current, waitedNanos, alternatives);
  }

  @Override
  public Optional<RouteException> assess(PeerId peer) {
    return InOrderRoutes.INSTANCE.assess(peer);
  }
}
