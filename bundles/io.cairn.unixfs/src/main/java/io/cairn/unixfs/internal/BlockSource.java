package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.UnixFsException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Where UnixFS reads blocks: the blockstore, then bitswap (when a client is bound) for what is missing.
 * The blockstore answers identity CIDs from their own digest.
 */
final class BlockSource {
  /** The bitswap client fails its future at the timeout; this much more guards against one that does not. */
  private static final long GRACE_MILLIS = 1_000;

  private final MultiTierBlockstore store;
  private final Supplier<Object> bitswap;
  private final Duration timeout;

  /**
   * @param bitswap the bound {@code io.cairn.bitswap.Bitswap} at the time of a call, or null
   */
  BlockSource(MultiTierBlockstore store, Supplier<Object> bitswap, Duration timeout) {
    this.store = store;
    this.bitswap = bitswap;
    this.timeout = timeout;
  }

  /** The block, arriving later; a block nobody has fails with {@link BlockNotFoundException} or bitswap's timeout. */
  CompletableFuture<Block> get(Cid cid) {
    return store.get(cid).exceptionallyCompose(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      Object client = bitswap.get();
      if (cause instanceof BlockNotFoundException && client != null) {
        return BitswapFetch.fetch(client, cid, timeout);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** Waits for {@link #get}. */
  Block load(Cid cid) throws UnixFsException {
    return await(get(cid), cid);
  }

  /** Waits for a block future from {@link #get}, up to the block timeout. */
  Block await(CompletableFuture<Block> future, Cid cid) throws UnixFsException {
    try {
      return future.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new UnixFsException(cid, "block " + cid + " could not be had within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof BlockNotFoundException) {
        throw new UnixFsException(cid, "block " + cid + " was not found locally and no bitswap client runs to fetch it",
            cause);
      }
      throw new UnixFsException(cid, "block " + cid + " could not be had: "
          + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new UnixFsException(cid, "interrupted while waiting for block " + cid, e);
    }
  }
}
