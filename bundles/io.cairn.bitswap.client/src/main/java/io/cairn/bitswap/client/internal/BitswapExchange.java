package io.cairn.bitswap.client.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapSession;
import io.cairn.bitswap.BitswapTimeoutException;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockFetchTimeoutException;
import io.cairn.blockstore.exchange.BlockExchange;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Bitswap as the block service's exchange: gets and sessions go to the {@link Bitswap} client as they are;
 * its timeout comes back as the blockstore API's {@link BlockFetchTimeoutException}, so readers of blocks
 * need nothing of bitswap's. Cancelling a future cancels the client's, which withdraws the want.
 */
@Component(service = BlockExchange.class)
public class BitswapExchange implements BlockExchange {
  private final Bitswap bitswap;

  @Activate
  public BitswapExchange(@Reference Bitswap bitswap) {
    this.bitswap = bitswap;
  }

  @Override
  public CompletableFuture<Block> get(Cid cid, Duration timeout) {
    return typed(cid, timeout, bitswap.get(cid, timeout));
  }

  @Override
  public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
    List<CompletableFuture<Block>> fetched = bitswap.getMany(cids, timeout);
    return typedAll(cids, timeout, fetched);
  }

  @Override
  public Session newSession() {
    BitswapSession session = bitswap.newSession();
    return new Session() {
      @Override
      public CompletableFuture<Block> get(Cid cid, Duration timeout) {
        return typed(cid, timeout, session.get(cid, timeout));
      }

      @Override
      public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
        return typedAll(cids, timeout, session.getMany(cids, timeout));
      }

      @Override
      public int window() {
        return session.window();
      }

      @Override
      public void close() {
        session.close();
      }
    };
  }

  private static List<CompletableFuture<Block>> typedAll(List<Cid> cids, Duration timeout,
      List<CompletableFuture<Block>> fetched) {
    // Duplicates share the client's future; they share the typed one too.
    java.util.Map<CompletableFuture<Block>, CompletableFuture<Block>> typed = new java.util.IdentityHashMap<>();
    List<CompletableFuture<Block>> out = new java.util.ArrayList<>(fetched.size());
    for (int i = 0; i < fetched.size(); i++) {
      Cid cid = cids.get(i);
      out.add(typed.computeIfAbsent(fetched.get(i), f -> typed(cid, timeout, f)));
    }
    return out;
  }

  /** The client's future with its timeout as {@link BlockFetchTimeoutException}; cancelling it cancels the client's. */
  static CompletableFuture<Block> typed(Cid cid, Duration timeout, CompletableFuture<Block> fetched) {
    CompletableFuture<Block> out = new CompletableFuture<>();
    fetched.whenComplete((block, error) -> {
      if (error == null) {
        out.complete(block);
        return;
      }
      Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      out.completeExceptionally(e instanceof BitswapTimeoutException ? new BlockFetchTimeoutException(cid, timeout, e) : e);
    });
    out.whenComplete((block, error) -> {
      if (out.isCancelled()) {
        fetched.cancel(false);
      }
    });
    return out;
  }
}
