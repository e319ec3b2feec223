package io.cairn.bitswap.spi;

import io.cairn.multiformats.PeerId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides how the bitswap engine groups a peer's wants (the seed design's BatchRequestProcessor): how
 * many of them one worker's turn takes, whether they are looked up together (one {@code getSizes} and
 * one {@code getMany} pass over the blockstore for the whole turn instead of a lookup per want), and
 * whether the peer's wants are held a little so more gather before the turn. The engine answers a
 * turn's wants in messages of about its target size either way.
 *
 * <p>A strategy service: registered with {@link PriorityRequestManager#STRATEGY}{@code =<name>}; the
 * engine holds every one ranked by {@code service.ranking} and uses the best, or the one its
 * {@code batch.target} selects. Called on the engine's network and worker threads, often and
 * concurrently: fast, thread-safe, non-blocking. A method that throws makes the engine drop this
 * strategy for the next-ranked one (logged once); the built-in last resort is {@link NoBatching}. A
 * peer held when the strategy is swapped is released at the deadline it was given, so a swap never
 * fails or strands a want.
 *
 * @since 1.2
 */
@ConsumerType
public interface BatchRequestProcessor {
  /**
   * A peer has queued wants and may take a turn: how big the turn is, how its wants are looked up, and
   * how much longer to hold it for more wants ({@link Batch#holdNanos()} 0: at once). Asked again when
   * more wants arrive while the peer is held: it is released as soon as the answer is "now", and a new
   * hold replaces the one before, counted from then (so a hold can end when wants stop coming). The
   * engine holds no peer longer than its own cap in all (100 ms) whatever the answers.
   *
   * @param peer the peer as it would join the engine's ready queue (its best class, wants queued)
   * @param waitedNanos how long the longest-queued of its wants has waited so far
   * @param turnSize the engine's own turn size ({@code maxTasksPerEnvelope}), what an unbatched turn takes
   */
  Batch plan(PeerTurn peer, long waitedNanos, int turnSize);

  /**
   * A turn was served: {@code wants} taken, released for {@code flush}, looked up in
   * {@code lookupNanos} (from the first lookup's start to the last one's end).
   */
  default void served(PeerId peer, int wants, BatchFlush flush, long lookupNanos) {}

  /** The peer disconnected: forget what is kept for it. */
  default void peerGone(PeerId peer) {}
}
