package io.cairn.net.spi;

import io.cairn.multiformats.PeerId;
import io.cairn.net.RouteException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Which of the peers that have a block a fetch asks (the seed's {@code OptimizeRoutes}): a strategy
 * service ({@value #STRATEGY}{@code =<name>}) the bitswap client holds DYNAMIC + GREEDY, best ranked
 * first; it falls back to asking peers in the order they answered if the strategy throws.
 *
 * <p>The client asks on its own thread for every want it routes: each method must be cheap and never block.
 */
@ConsumerType
public interface RouteOptimizer {
  /** The service property naming a strategy. */
  String STRATEGY = "cairn.strategy";

  /**
   * {@code candidates} (peers that said HAVE, or that served the session before, in the order the client
   * knows them) best first: a peer past a threshold goes after every peer within them.
   */
  List<PeerId> rank(List<PeerId> candidates);

  /**
   * A want-block has been in flight to {@code current} for {@code waitedNanos}; {@code alternatives} also
   * have the block. The peer to ask instead (the client cancels the want at {@code current}), or empty to
   * keep waiting.
   */
  Optional<PeerId> moveFrom(PeerId current, long waitedNanos, List<PeerId> alternatives);

  /** Why {@code peer} is bypassed now, or empty when it is within every threshold. */
  Optional<RouteException> assess(PeerId peer);
}
