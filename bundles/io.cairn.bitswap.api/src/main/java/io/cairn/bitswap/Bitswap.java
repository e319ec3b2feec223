package io.cairn.bitswap;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Fetches blocks from peers. A block already in the local blockstore is returned from there (the
 * blockstore answers identity CIDs from the CID itself, so they are never wanted from a peer); any
 * other is wanted from connected peers, hash-checked when it arrives, stored, and returned. Each call
 * is its own session; {@link #newSession()} shares what is learnt about peers across calls.
 *
 * <p>Cancelling a returned future withdraws the want (peers are sent a cancel once nobody wants the
 * block any more). A want that no peer satisfies in time fails with {@link BitswapTimeoutException}.
 */
@ProviderType
public interface Bitswap {
  /** The block, fetched within the configured default timeout. */
  CompletableFuture<Block> get(Cid cid);

  CompletableFuture<Block> get(Cid cid, Duration timeout);

  /** One future per CID, in the order given; duplicates share a future. */
  List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout);

  /** A session: wants from it go first to the peers that had its earlier blocks. Close it to cancel what it still wants. */
  BitswapSession newSession();

  /** The CIDs this node wants now. */
  Set<Cid> wantlist();

  ClientStats stats();
}
