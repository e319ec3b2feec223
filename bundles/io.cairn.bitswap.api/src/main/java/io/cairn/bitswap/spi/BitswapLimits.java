package io.cairn.bitswap.spi;

import io.cairn.multiformats.PeerId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The bitswap engine's limits (the seed design's AdaptiveBitswapConfig): bytes in flight to one peer,
 * bytes in flight to all peers together, and blockstore lookups running at once. The engine reports
 * what it observes (each send's and each lookup's completion) and reads the current limits whenever
 * it decides; a strategy may keep them fixed or move them with what it is told.
 *
 * <p>A strategy service: registered with {@link PriorityRequestManager#STRATEGY}{@code =<name>}; the
 * engine holds every one ranked by {@code service.ranking} and uses the best, or the one its
 * {@code limits.target} selects. Called on the engine's worker and network threads, often and
 * concurrently: fast, thread-safe, non-blocking. A method that throws makes the engine drop this
 * strategy for the next-ranked one (logged once). The engine does its own accounting of bytes and
 * lookups in flight, so work started under one strategy finishes under the next.
 */
@ConsumerType
public interface BitswapLimits {
  /** Boxo's MaxOutstandingBytesPerPeer (1 MiB): the static strategy's default. */
  long BOXO_PEER_OUTSTANDING_BYTES = 1 << 20;
  /** Boxo's engine blockstore worker count (128): the static strategy's default lookup concurrency. */
  int BOXO_LOOKUP_CONCURRENCY = 128;

  /** Bytes handed to the network for {@code peer} but not yet written, above which it gets nothing more. */
  long peerOutstandingBytes(PeerId peer);

  /** Bytes in flight to all peers together above which the engine is over capacity. */
  long globalOutstandingBytes();

  /** Blockstore lookups running at once across all peers. */
  int lookupConcurrency();

  /**
   * How long peers with only lowest-class wants may wait for a task worker before the engine counts as
   * over capacity, when they wait that long throughout an interval (CoDel's rule: a burst passes, a
   * standing queue does not) while better-class wants wait too: the engine then sheds the lowest class
   * until they are taken sooner. 0 (the default, boxo's): never.
   *
   * @since 1.3
   */
  default long shedQueueDelayNanos() {
    return 0;
  }

  /**
   * A message to {@code peer} completed: {@code bytes} (encoded size) handed to the network
   * {@code nanos} before it was written to the connection ({@code ok}), or failed.
   */
  void sent(PeerId peer, long bytes, long nanos, boolean ok);

  /** A blockstore lookup completed after {@code nanos}; {@code inFlight} lookups were running when it began. */
  void lookedUp(long nanos, boolean found, int inFlight);

  /** A lookup or a write failed for lack of memory ({@code io.cairn.blockstore.MemoryPressureException}). */
  default void memoryPressure() {}

  /** The round-trip time to {@code peer}, when the engine learns it. */
  default void peerRtt(PeerId peer, long nanos) {}

  /** The peer disconnected: forget what is kept for it. */
  void peerGone(PeerId peer);
}
