package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's blockstore: the tiers composed (the seed design's MultiTierBlockstore). Reads go memory
 * → ssd → hdd and promote what they find lower down; writes land in the write tier through the
 * {@link BatchIOManager} and complete when durable; full tiers are demoted in the background.
 */
@ProviderType
public interface MultiTierBlockstore extends Blockstore {
  /**
   * The block as one named tier holds it, with no fall-through and no promotion (for inspection and
   * tests): a {@link BlockNotFoundException} if that tier lacks it or no such tier is active.
   */
  CompletableFuture<Block> getWithTier(Cid cid, String tier);

  /** Stores the blocks as one batch: one durable write, completing when all are durable. */
  CompletableFuture<Void> putBatch(List<Block> blocks);

  /**
   * The block's bytes as a stream, read from storage as the caller consumes them (a large block is
   * never loaded whole). The stored checksum is verified as the stream reaches its end: a mismatch
   * makes that last read throw, so a consumer never takes a corrupt block for a whole one. Close it.
   */
  CompletableFuture<InputStream> getStream(Cid cid);

  /**
   * Stores the bytes read from {@code data} under {@code cid}, hashing them as they arrive. Bytes that
   * do not hash to the CID, or that exceed the maximum block size, are refused with
   * {@link CorruptBlockException} or {@link BlockTooLargeException} and leave nothing stored.
   * The stream is read to its end (or the limit) but not closed.
   */
  CompletableFuture<Void> putStream(Cid cid, InputStream data);

  /** The largest block accepted, in bytes (Kubo's 2 MiB by default). */
  int maxBlockSize();

  /** Every active tier, in read order. */
  List<TierStats> tiers();

  BlockstoreStats stats();
}
