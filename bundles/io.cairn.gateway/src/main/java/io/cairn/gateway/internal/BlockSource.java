package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Blocks for the gateway, as futures, from the block service: the blockstore, else peers when bitswap runs
 * (it stores what arrives). Nothing here waits: a fetch holds no thread while peers are asked. Identity CIDs
 * are answered by the blockstore itself.
 */
final class BlockSource {
  /**
   * A block the node could not have, with the status that says why: 504 when peers did not send it in time
   * (boxo's gateway answers a retrieval that times out so), 404 when it is not here and the node does not
   * fetch, 502 when fetching failed otherwise.
   */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Unavailable(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final BlockService blocks;

  BlockSource(BlockService blocks) {
    this.blocks = blocks;
  }

  /** Whether the block is here without asking peers. */
  CompletableFuture<Boolean> isLocal(Cid cid) {
    return blocks.has(cid);
  }

  /**
   * The block, local or fetched within {@code timeout}. Fails with {@link Unavailable} if it cannot be had,
   * or an {@link IOException} if the blockstore fails. Cancelling the future withdraws the fetch.
   *
   * @param timeoutKey the configuration key of {@code timeout}, named in the 504's message
   */
  CompletableFuture<Block> get(Cid cid, Duration timeout, String timeoutKey) {
    CompletableFuture<Block> fetched = blocks.get(cid, timeout);
    CompletableFuture<Block> out = new CompletableFuture<>();
    // The block service fails a fetch at the timeout; the gateway's own bound fires then too, whichever first.
    fetched.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((block, error) -> {
      if (error == null) {
        out.complete(block);
      } else {
        out.completeExceptionally(unavailable(cid, error, timeout, timeoutKey));
      }
    });
    // However the request ends (answered, timed out, its client gone), the want is withdrawn.
    out.whenComplete((b, e) -> fetched.cancel(false));
    return out;
  }

  private static Throwable unavailable(Cid cid, Throwable error, Duration timeout, String timeoutKey) {
    Throwable e = unwrap(error);
    if (e instanceof CancellationException) {
      return e;
    }
    if (FetchFailures.isTimeout(e)) {
      return new Unavailable(504, "retrieving block " + cid + " timed out: no peer sent it within " + timeout.toMillis()
          + " ms (" + timeoutKey + ")", e);
    }
    if (e instanceof BlockNotFoundException) {
      // Not here, and the node does not fetch (no exchange runs).
      return new Unavailable(404, "block " + cid + " is not in the local blockstore and bitswap is not running to fetch it",
          e);
    }
    if (e instanceof BlockstoreException) {
      // The blockstore's own failure (a corrupt record, an I/O error), not the peers': the node's error.
      return new IOException("reading " + cid + " from the blockstore failed: " + message(e), e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return new Unavailable(502, "fetching block " + cid + " from peers failed: " + message(root), e);
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
