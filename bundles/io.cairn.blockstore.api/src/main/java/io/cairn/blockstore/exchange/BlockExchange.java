package io.cairn.blockstore.exchange;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where the {@link io.cairn.blockstore.BlockService} fetches blocks the local blockstore lacks (boxo's
 * {@code exchange.Interface}): bitswap provides one. A block it delivers has been hash-checked against its
 * CID and stored in the local blockstore before its future completes.
 *
 * <p>A get that no peer satisfies within its timeout fails with
 * {@link io.cairn.blockstore.BlockFetchTimeoutException}; cancelling a future withdraws the want.
 *
 * <p>There is no "new blocks" call here, unlike boxo's {@code NotifyNewBlocks}: the blockstore itself tells
 * whoever serves peers of every block stored ({@link io.cairn.blockstore.MultiTierBlockstore#observeStored}),
 * whichever path stored it, so nothing has to remember to notify.
 */
@ConsumerType
public interface BlockExchange {
  CompletableFuture<Block> get(Cid cid, Duration timeout);

  /** One future per CID, in the order given; duplicates share a future. */
  List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout);

  /** Related fetches that share what is learnt about peers (boxo's {@code NewSession}). */
  Session newSession();

  /** See {@link BlockExchange#newSession()}. */
  @ConsumerType
  interface Session extends AutoCloseable {
    CompletableFuture<Block> get(Cid cid, Duration timeout);

    List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout);

    /**
     * How many gets the caller should keep in flight on this session now (a DAG walk's concurrency): sized by the
     * exchange from the session's measured delivery rate and round trip, so a fetch across a long path keeps it
     * full. 0 means no advice (the caller uses its own number); a caller may keep more in flight.
     *
     * @since 1.1
     */
    default int window() {
      return 0;
    }

    /** Cancels what the session still wants. */
    @Override
    void close();
  }
}
