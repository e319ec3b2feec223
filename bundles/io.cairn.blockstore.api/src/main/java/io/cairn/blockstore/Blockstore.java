package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Blocks by CID. Every call returns at once; failures arrive as failed futures carrying the typed
 * exceptions of this package ({@link BlockNotFoundException}, {@link DiskSpaceLowException},
 * {@link MemoryPressureException}, {@link CorruptBlockException}, {@link BlockTooLargeException}).
 * Implemented by each tier and by the tiered store; third parties may provide tiers.
 */
@ConsumerType
public interface Blockstore {
  CompletableFuture<Boolean> has(Cid cid);

  /** The block, or a future failed with {@link BlockNotFoundException}. */
  CompletableFuture<Block> get(Cid cid);

  /** The block's size in bytes, or a future failed with {@link BlockNotFoundException}. */
  CompletableFuture<Integer> getSize(Cid cid);

  /**
   * The blocks of {@code cids}, index for index, {@code null} where this store lacks one or cannot read
   * it (a corrupt or unreadable block is the store's to log). Fails as a whole only with
   * {@link MemoryPressureException}. For callers with many small lookups at once (the bitswap engine's
   * batches): a store that can find many blocks in one pass over its index overrides this; this
   * default asks {@link #get} once per CID.
   *
   * @since 1.2
   */
  default CompletableFuture<List<Block>> getMany(List<Cid> cids) {
    return each(cids, this::get);
  }

  /**
   * The sizes of the blocks of {@code cids} in bytes, index for index, {@code null} where this store
   * lacks one or cannot read it; as {@link #getMany}, but reading no block data where the store keeps
   * sizes in its index. This default asks {@link #getSize} once per CID.
   *
   * @since 1.2
   */
  default CompletableFuture<List<Integer>> getSizes(List<Cid> cids) {
    return each(cids, this::getSize);
  }

  /**
   * One lookup per CID, gathered index for index: {@code null} for any failure but memory pressure,
   * which fails the whole (the node is short of memory, not this block).
   */
  private static <T> CompletableFuture<List<T>> each(List<Cid> cids, Function<Cid, CompletableFuture<T>> lookup) {
    @SuppressWarnings("unchecked")
    CompletableFuture<T>[] each = new CompletableFuture[cids.size()];
    for (int i = 0; i < each.length; i++) {
      CompletableFuture<T> one;
      try {
        one = lookup.apply(cids.get(i));
      } catch (RuntimeException e) {
        one = CompletableFuture.failedFuture(e);
      }
      each[i] = one.exceptionallyCompose(error -> {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof MemoryPressureException ? CompletableFuture.failedFuture(cause)
            : CompletableFuture.completedFuture(null);
      });
    }
    return CompletableFuture.allOf(each).thenApply(v -> {
      List<T> found = new ArrayList<>(each.length);
      Arrays.stream(each).forEach(f -> found.add(f.join()));
      return found;
    });
  }

  /**
   * This store for answers that must come in time rather than in full, such as a peer's want (a miss
   * becomes DONT_HAVE): its reads may skip a part of the store that is failing or slow, or give up on a
   * read that runs too long, and report the block missing. Every read of the store itself waits for the
   * full answer, so pinning, garbage collection and verification never take a slow disk for a missing
   * block. Writes, deletes and keys are the store's own. This default is the store itself.
   *
   * @since 1.4
   */
  default Blockstore failFast() {
    return this;
  }

  /** Stores the block; completes once it is durable in this store's terms. Storing a block twice is not an error. */
  CompletableFuture<Void> put(Block block);

  /** Stores several blocks; completes once all are durable, or fails as the first failure. */
  CompletableFuture<Void> putMany(List<Block> blocks);

  /** Removes the block; true if it was there. */
  CompletableFuture<Boolean> delete(Cid cid);

  /** The CIDs present, weakly consistent (blocks put or deleted meanwhile may or may not appear). Close the stream. */
  Stream<Cid> keys();
}
