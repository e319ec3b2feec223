package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  /** Stores the block; completes once it is durable in this store's terms. Storing a block twice is not an error. */
  CompletableFuture<Void> put(Block block);

  /** Stores several blocks; completes once all are durable, or fails as the first failure. */
  CompletableFuture<Void> putMany(List<Block> blocks);

  /** Removes the block; true if it was there. */
  CompletableFuture<Boolean> delete(Cid cid);

  /** The CIDs present, weakly consistent (blocks put or deleted meanwhile may or may not appear). Close the stream. */
  Stream<Cid> keys();
}
