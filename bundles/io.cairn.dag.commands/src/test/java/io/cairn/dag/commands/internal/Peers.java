package io.cairn.dag.commands.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapSession;
import io.cairn.bitswap.BitswapTimeoutException;
import io.cairn.bitswap.ClientStats;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network, for unit tests: a Bitswap client whose peers hold {@link #blocks}. A block they hold is
 * stored in the local blockstore and answered, as the real client does; one they lack fails at once with
 * the client's timeout exception (or, {@link #silent}, once the want's timeout has run out). {@link #asks}
 * counts the blocks asked for.
 */
public final class Peers implements Bitswap {
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
  public CompletableFuture<Block> get(Cid cid) {
    return get(cid, Duration.ofSeconds(1));
  }

  @Override
  public CompletableFuture<Block> get(Cid cid, Duration timeout) {
    asks.incrementAndGet();
    Block b = blocks.get(cid);
    if (silent) {
      CompletableFuture<Block> late = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> late.completeExceptionally(new BitswapTimeoutException(cid, timeout)));
      return late;
    }
    if (b == null) {
      return CompletableFuture.failedFuture(new BitswapTimeoutException(cid, timeout));
    }
    return local.put(b).thenApply(v -> b);
  }

  @Override
  public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
    return cids.stream().map(c -> get(c, timeout)).toList();
  }

  @Override
  public BitswapSession newSession() {
    return new BitswapSession() {
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

  @Override
  public Set<Cid> wantlist() {
    return Set.of();
  }

  @Override
  public ClientStats stats() {
    return new ClientStats(0, 0, 0, 0, 0, 0, 0, 0);
  }
}
