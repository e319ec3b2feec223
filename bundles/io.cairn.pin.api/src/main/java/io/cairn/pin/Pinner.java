package io.cairn.pin;

import io.cairn.multiformats.Cid;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's pin set. Pinning recursively walks the DAG (fetching missing blocks through bitswap) and
 * records the pin only once every block is local: a failed or cancelled pin leaves nothing pinned.
 * Implementations add listing, removal, update and verification; this is what other bundles pin with.
 */
@ProviderType
public interface Pinner {
  /**
   * Pins {@code root}. {@code maxDepth} is -1 for a full recursive pin; a direct pin ignores it.
   * {@code progress} is told the count of blocks reached so far, from the walker's threads, as it grows.
   * Cancel the future to stop the pin (nothing is recorded).
   */
  CompletableFuture<Void> pin(Cid root, PinType type, int maxDepth, String name, LongConsumer progress);
}
