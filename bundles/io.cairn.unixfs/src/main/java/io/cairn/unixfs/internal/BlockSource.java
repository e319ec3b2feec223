package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockFetchTimeoutException;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockService;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.UnixFsException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where UnixFS reads blocks: the block service (the blockstore, then peers when bitswap runs), within the
 * block timeout. The blockstore answers identity CIDs from their own digest.
 */
final class BlockSource {
  /** The block service fails its future at the timeout (its guard a second later at most); this guards further. */
  private static final long GRACE_MILLIS = 2_000;

  private final BlockService blocks;
  private final Duration timeout;

  BlockSource(BlockService blocks, Duration timeout) {
    this.blocks = blocks;
    this.timeout = timeout;
  }

  /** The block, arriving later; a block nobody has fails with {@link BlockNotFoundException} or the fetch timeout. */
  CompletableFuture<Block> get(Cid cid) {
    return blocks.get(cid, timeout);
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
      if (cause instanceof BlockFetchTimeoutException) {
        throw new UnixFsException(cid, "block " + cid + " could not be had: no peer delivered " + cid + " within "
            + timeout.toMillis() + " ms", cause);
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
