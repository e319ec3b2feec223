package io.cairn.dag;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** A walk under way: its progress, its outcome, and a way to stop it. */
@ProviderType
public interface DagWalk {
  /**
   * Completes when every block in reach has been visited; fails with a {@link DagException} (malformed
   * block, bound broken, a block that could not be had in time) or the visitor's exception.
   */
  CompletableFuture<Result> done();

  /** Blocks visited so far (progress for callers that report it). */
  long blocksVisited();

  /** Bytes of the blocks visited so far. */
  long bytesVisited();

  /** Stops the walk: fetches in flight are withdrawn and {@link #done()} fails with a cancellation. */
  void cancel();

  /** What a finished walk saw. */
  record Result(long blocks, long bytes) {
  }
}
