package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's blockstore: the tiers composed (the seed design's MultiTierBlockstore). Reads go memory
 * → ssd → hdd and promote what they find lower down; writes land in the write tier through the
 * {@link BatchIOManager} and complete when durable; full tiers are demoted in the background.
 *
 * <p>Identity CIDs (multihash function 0x00: the digest is the block) are answered from the CID itself,
 * as Kubo's blockstore answers them: {@link #has} is true, {@link #get}, {@link #getSize} and
 * {@link #getStream} give the digest, puts check the bytes and store nothing, {@link #delete} answers
 * true and leaves them answered, {@link #keys} never lists them. Readers and fetchers therefore need no
 * case of their own for them, and never ask peers for one.
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

  /**
   * Tells {@code observer} the CID of every block put from now on ({@link #put}, {@link #putMany},
   * {@link #putBatch}, {@link #putStream}; identity blocks, never stored, are not told), on the putting
   * thread, <em>before</em> the block is written or found already stored, so an observer that marks the
   * CID can never be overtaken by the block landing. Returns once every put that began before the call
   * has completed: after it, each block put is either already in the store or told to the observer.
   * Moves between tiers (promotion, demotion, migration) are not puts and are not told. An observer must be quick and must not throw; if it
   * throws, the put fails with that exception and stores nothing. Costs a put next to nothing while
   * nobody observes. Close the observation to stop.
   *
   * @since 1.1
   */
  Observation observePuts(Consumer<Cid> observer);

  /**
   * Tells {@code observer} the CID of every block put from now on once the put that carried it has
   * completed successfully, so the block can be read (written, or found already stored). The same puts as
   * {@link #observePuts} (identity blocks and moves between tiers are not told), but after the write where
   * that one is before: this is how the bitswap server learns that a block a peer waits for is here now,
   * whoever stored it ({@code block/put}, {@code add}, {@code dag/import}, a bitswap receipt). Told on the
   * thread that completes the put; an observer must be quick. One that throws is logged and ignored: the
   * put has succeeded and stays so. Close the observation to stop.
   *
   * @since 1.2
   */
  Observation observeStored(Consumer<Cid> observer);

  /** A registration made by {@link #observePuts} or {@link #observeStored}; closing it stops the telling. */
  @ProviderType
  interface Observation extends AutoCloseable {
    /**
     * Stops telling the observer. Returns once the puts that were told to it have completed.
     */
    @Override
    void close();
  }
}
