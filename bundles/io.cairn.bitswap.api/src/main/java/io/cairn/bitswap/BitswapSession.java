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

  @Override
  void close();
}
