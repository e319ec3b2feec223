package io.cairn.blockstore;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Groups puts into batches (the seed design's BatchIOManager): a batch is written to its tier with one
 * {@link Blockstore#putMany} (one durable write) when it holds {@code BatchSize} blocks or its first
 * put is {@code BatchTimeout} old, whichever comes first, and every put in it completes then. The
 * queue is bounded: when it is full a put waits, up to a configured time, then fails with
 * {@link MemoryPressureException}; a put never grows memory without bound. May block the calling
 * thread while the queue is full, so never call it from an event loop.
 */
@ProviderType
public interface BatchIOManager {
  /** Queues the block for {@code tier}; the future completes when the batch holding it is durable. */
  CompletableFuture<Void> put(BlockTier tier, Block block);

  /** Queues all blocks for {@code tier}, in order; completes when every batch holding them is durable. */
  CompletableFuture<Void> putAll(BlockTier tier, List<Block> blocks);

  /** Closes the batches being gathered now and writes them without waiting for size or timeout. */
  void flush();

  BatchStats stats();

  /** Batches and blocks written since start, the recent rate, and what waits in the queue now. */
  record BatchStats(long batches, long blocks, double batchesPerSec, int queuedBlocks, long queuedBytes) {
  }
}
