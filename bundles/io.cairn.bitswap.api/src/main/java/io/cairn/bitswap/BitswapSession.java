package io.cairn.bitswap;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Related fetches (the blocks of one DAG, say): want-have goes to every connected peer at first,
 * want-block to the peers that answered HAVE; peers that sent blocks are asked first afterwards.
 * Closing the session cancels what it still wants.
 */
@ProviderType
public interface BitswapSession extends AutoCloseable {
  CompletableFuture<Block> get(Cid cid, Duration timeout);

  List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout);

  /**
   * How many gets the caller should keep in flight on this session now (a DAG walk's concurrency): sized by the
   * exchange from the session's measured delivery rate and round trip, so a fetch across a long path keeps it
   * full. 0 means no advice (the caller uses its own number); a caller may keep more in flight.
   *
   * @since 1.2
   */
  default int window() {
    return 0;
  }

  @Override
  void close();
}
