package io.cairn.net.spi;

import java.util.Comparator;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Which peers the connection manager disconnects first when it trims: the peers it may trim (connected,
 * not protected, past their grace period) sorted by {@link #order()}, first to go first. A strategy
 * service ({@value #STRATEGY}{@code =<name>}); the manager uses the best ranked one matching its
 * {@code trimOrder.target}, and falls back to go-libp2p's order if it throws.
 */
@ConsumerType
public interface TrimOrder {
  /** The service property naming a strategy. */
  String STRATEGY = "cairn.strategy";

  /** First to disconnect first. Called once per trim, from the manager's own thread. */
  Comparator<TrimCandidate> order();
}
