package io.cairn.pin;

import io.cairn.multiformats.Cid;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Removes the blocks no pin holds: marks what every pin reaches, then sweeps the rest, while puts and pins
 * go on. Nothing pinned, and nothing put or pinned while a run is under way, is removed.
 */
@ProviderType
public interface GarbageCollector {
  /**
   * Runs one collection on the collector's thread; one at a time (a second call while one runs fails
   * with a {@link PinException}). The future fails if marking fails (a pinned block missing or corrupt:
   * nothing is removed then, as in Kubo); failures to remove single blocks are told to the listener and
   * counted, and the run goes on. Cancelling the future stops the run between blocks.
   */
  CompletableFuture<Result> collect(Listener listener);

  /** Told of a run's progress, from the collector's thread, one call at a time. */
  @ConsumerType
  interface Listener {
    /** The blocks marked live so far (during marking). */
    default void marked(long blocks) {
    }

    /** A block was removed, freeing {@code bytes}. */
    default void removed(Cid cid, long bytes) {
    }

    /** A block could not be removed, or listed. */
    default void failed(Cid cid, String message) {
    }
  }

  /** A finished run: blocks marked live, blocks removed, their bytes, and per-block failures. */
  record Result(long marked, long removed, long bytesFreed, long errors) {
  }
}
