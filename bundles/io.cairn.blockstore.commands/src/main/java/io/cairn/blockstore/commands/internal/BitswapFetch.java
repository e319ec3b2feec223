package io.cairn.blockstore.commands.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapTimeoutException;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a block the blockstore lacks over bitswap. The only class of this bundle that touches
 * {@code io.cairn.bitswap}, an optional import: the commands hold the client as an {@code Object} and
 * call here only once one is bound, so they load and run without the bitswap feature.
 */
final class BitswapFetch {
  /** The client fails its future at the timeout; this much more only guards against one that does not. */
  private static final long GRACE_MILLIS = 1_000;

  private BitswapFetch() {}

  /**
   * The block from peers (the client hash-checks and stores it as it arrives).
   *
   * @param bitswap an {@code io.cairn.bitswap.Bitswap}
   * @throws Blocks.Failure saying that no peer sent the block within {@code timeout}, or why the fetch failed
   */
  static Block fetch(Object bitswap, Cid cid, Duration timeout) throws Blocks.Failure {
    if (timeout.isNegative() || timeout.isZero()) {
      throw timedOut(cid, timeout, null);
    }
    CompletableFuture<Block> future = ((Bitswap) bitswap).get(cid, timeout);
    try {
      return future.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw timedOut(cid, timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BitswapTimeoutException) {
        throw timedOut(cid, timeout, cause);
      }
      throw new Blocks.Failure("fetching " + cid + " over bitswap failed: "
          + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    } catch (CancellationException e) {
      throw new Blocks.Failure("fetching " + cid + " over bitswap failed: the bitswap client stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Blocks.Failure("interrupted while fetching " + cid + " over bitswap", e);
    } finally {
      // Withdraws the want when this caller stops waiting first (its own timeout, an interrupt).
      future.cancel(false);
    }
  }

  private static Blocks.Failure timedOut(Cid cid, Duration timeout, Throwable cause) {
    return new Blocks.Failure("block " + cid + " is not local and no peer sent it within " + timeout.toMillis() + " ms",
        cause);
  }
}
