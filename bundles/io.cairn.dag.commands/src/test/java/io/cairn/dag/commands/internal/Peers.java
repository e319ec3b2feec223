package io.cairn.dag.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockFetchTimeoutException;
import io.cairn.blockstore.Blockstore;
import io.cairn.blockstore.exchange.BlockExchange;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network, for unit tests: the block service's exchange, whose peers hold {@link #blocks}. A block they
 * hold is stored in the local blockstore and answered, as bitswap does; one they lack fails at once with the
 * exchange's timeout exception (or, {@link #silent}, once the want's timeout has run out). {@link #asks}
 * counts the blocks asked for.
 */
public final class Peers implements BlockExchange {
  public final Map<Cid, Block> blocks = new ConcurrentHashMap<>();
  public final AtomicLong asks = new AtomicLong();
  /** When set, peers never answer: a want fails only when its timeout runs out, as over a silent network. */
  public volatile boolean silent;
  private final Blockstore local;

  public Peers(Blockstore local) {
    this.local = local;
  }

  public void hold(Collection<Block> held) {
    held.forEach(b -> blocks.put(b.cid(), b));
  }

  @Override
  public CompletableFuture<Block> get(Cid cid, Duration timeout) {
    asks.incrementAndGet();
    Block b = blocks.get(cid);
    if (silent) {
      CompletableFuture<Block> late = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> late.completeExceptionally(new BlockFetchTimeoutException(cid, timeout, null)));
      return late;
    }
    if (b == null) {
      return CompletableFuture.failedFuture(new BlockFetchTimeoutException(cid, timeout, null));
    }
    return local.put(b).thenApply(v -> b);
  }

  @Override
  public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
    return cids.stream().map(c -> get(c, timeout)).toList();
  }

  @Override
  public Session newSession() {
    return new Session() {
      @Override
      public CompletableFuture<Block> get(Cid cid, Duration timeout) {
        return Peers.this.get(cid, timeout);
      }

      @Override
      public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
        return Peers.this.getMany(cids, timeout);
      }

      @Override
      public void close() {
      }
    };
  }
}
