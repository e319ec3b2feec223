package io.cairn.bitswap.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides the order in which the bitswap engine serves wants (the seed design's PriorityRequestManager):
 * which {@link WantClass} a want belongs to, its place among the peer's wants of that class, when a
 * want that waited too long moves up a class, and which waiting peer a free task worker takes next.
 *
 * <p>A strategy service: registered with {@value #STRATEGY}{@code =<name>}; the engine holds every one
 * ranked by {@code service.ranking} and uses the best, or the one its {@code priority.target} selects.
 * The engine calls these methods on its network and worker threads, often and concurrently: they must
 * be fast, thread-safe and must not block. A method that throws makes the engine drop this strategy for
 * the next-ranked one (logged once). A want keeps the class and order it was given until it is promoted
 * or answered, so a swap never reorders work already queued.
 */
@ConsumerType
public interface PriorityRequestManager {
  /** The service property naming a strategy, e.g. {@code cairn.strategy=static}. */
  String STRATEGY = "cairn.strategy";

  /** The class a newly arrived (or repeated) want is queued in. */
  WantClass classify(WantRequest want);

  /**
   * The want's place among the same peer's queued wants of its class: lower first; equal values in
   * arrival order. Boxo's order is {@code -priority}.
   */
  long order(WantRequest want);

  /**
   * The class a queued want belongs to after waiting {@code waitedNanos} in {@code current}: the
   * same class, or a better one to promote it. Asked for the longest-waiting want of each class when
   * a worker takes a peer's wants.
   */
  WantClass promote(WantClass current, long waitedNanos);

  /** A peer's place in the ready queue as it joins it. */
  PeerRank rank(PeerTurn peer);
}
