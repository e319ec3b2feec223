package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Blocks for whoever reads the node's DAGs (boxo's {@code blockservice}): the local blockstore first, else
 * the {@linkplain io.cairn.blockstore.exchange.BlockExchange exchange} (bitswap) when one runs, which
 * hash-checks what peers send and stores it before handing it over. The one place where "fetch a block we
 * do not have" lives; readers (block/get, UnixFS, the gateway, DAG walks) hold this service, not bitswap.
 *
 * <p>Identity CIDs are answered by the blockstore from the CID itself, so they are never fetched.
 * {@link #has} and {@link #getSize} are local only. Failures arrive as failed futures:
 * <ul>
 *   <li>{@link BlockNotFoundException}: not local and no exchange runs to fetch it (the node is offline);
 *   <li>{@link BlockFetchTimeoutException}: not local and no peer delivered it within the timeout;
 *   <li>any other: the blockstore's failure, or the exchange's.
 * </ul>
 * Cancelling a returned future withdraws the want. An exchange that goes away while a fetch is in flight
 * (bitswap swapped or restarted) does not fail the fetch: it moves to the next exchange, or waits for one
 * until its timeout.
 *
 * @since 1.2
 */
@ProviderType
public interface BlockService {
  /**
   * The block: local, else fetched within {@code timeout} (counted from the local miss). A timeout that
   * is zero or negative fetches nothing: a block that is not local fails at once with
   * {@link BlockFetchTimeoutException}.
   */
  CompletableFuture<Block> get(Cid cid, Duration timeout);

  /** One future per CID, in the order given; duplicates share a future. */
  List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout);

  /**
   * A session for related fetches (the blocks of one DAG): its fetches share what the exchange learns
   * about which peers have them. Close it to withdraw what it still wants.
   */
  Session newSession();

  /** Whether the local blockstore has the block (never asks peers). */
  CompletableFuture<Boolean> has(Cid cid);

  /** The local block's size, or {@link BlockNotFoundException} (never asks peers). */
  CompletableFuture<Integer> getSize(Cid cid);

  /**
   * Stores the block locally. Peers already waiting for it are served as soon as it is stored: the
   * blockstore tells the exchange's server side of every block stored, whoever stored it
   * ({@link MultiTierBlockstore#observeStored}).
   */
  CompletableFuture<Void> put(Block block);

  /** Stores the blocks locally as one batch; see {@link #put}. */
  CompletableFuture<Void> putMany(List<Block> blocks);

  /** Whether an exchange runs now, so that a block that is not local can be fetched. */
  boolean online();

  /** Related fetches; see {@link BlockService#newSession()}. */
  @ProviderType
  interface Session extends AutoCloseable {
    CompletableFuture<Block> get(Cid cid, Duration timeout);

    List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout);

    /**
     * How many gets the caller should keep in flight on this session now (a DAG walk's concurrency): sized by the
     * exchange from the session's measured delivery rate and round trip, so a fetch across a long path keeps it
     * full. 0 means no advice (the caller uses its own number); a caller may keep more in flight.
     *
     * @since 1.3
     */
    default int window() {
      return 0;
    }

    /** Withdraws what the session still wants: its pending futures are cancelled. */
    @Override
    void close();
  }
}
