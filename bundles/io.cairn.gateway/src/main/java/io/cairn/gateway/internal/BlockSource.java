package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Blocks for the gateway, as futures: from the blockstore, else from peers through a one-block walk of the
 * DAG service (which fetches through bitswap and stores what arrives). Nothing here waits: a fetch holds no
 * thread while peers are asked. Identity CIDs are answered by the blockstore itself.
 */
final class BlockSource {
  /** The walk's own bitswap timeout comes this much after the gateway's, so the gateway's is the one that fires. */
  private static final Duration GRACE = Duration.ofSeconds(1);

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

  private final MultiTierBlockstore store;
  private final DagService dag;

  BlockSource(MultiTierBlockstore store, DagService dag) {
    this.store = store;
    this.dag = dag;
  }

  /** Whether the block is here without asking peers. */
  CompletableFuture<Boolean> isLocal(Cid cid) {
    return store.has(cid);
  }

  /**
   * The block, local or fetched within {@code timeout}. Fails with {@link Unavailable} if it cannot be had,
   * or an {@link IOException} if the blockstore fails. Cancelling the future withdraws the fetch.
   *
   * @param timeoutKey the configuration key of {@code timeout}, named in the 504's message
   */
  CompletableFuture<Block> get(Cid cid, Duration timeout, String timeoutKey) {
    CompletableFuture<Block> out = new CompletableFuture<>();
    store.get(cid).whenComplete((block, error) -> {
      Throwable e = unwrap(error);
      if (e == null) {
        out.complete(block);
      } else if (!(e instanceof BlockNotFoundException)) {
        out.completeExceptionally(new IOException("reading " + cid + " from the blockstore failed: " + message(e), e));
      } else if (!out.isDone()) {
        fetch(cid, timeout, timeoutKey, out);
      }
    });
    return out;
  }

  private void fetch(Cid cid, Duration timeout, String timeoutKey, CompletableFuture<Block> out) {
    AtomicReference<Block> found = new AtomicReference<>();
    DagWalk walk = dag.walk(List.of(cid), new WalkOptions(0, true, WalkOptions.Order.ANY, timeout.plus(GRACE)),
        (b, depth) -> {
          found.set(b);
          return false;
        });
    // However the request ends (answered, timed out, its client gone), the walk's wants are withdrawn.
    out.whenComplete((b, e) -> walk.cancel());
    walk.done().copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((result, error) -> {
      if (error == null && found.get() != null) {
        out.complete(found.get());
      } else {
        out.completeExceptionally(unavailable(cid, error, timeout, timeoutKey));
      }
    });
  }

  private static Throwable unavailable(Cid cid, Throwable error, Duration timeout, String timeoutKey) {
    Throwable e = unwrap(error);
    if (e == null) {
      return new Unavailable(502, "the walk for block " + cid + " ended without it", null);
    }
    if (e instanceof CancellationException) {
      return e;
    }
    // The gateway's own timeout, or bitswap's: a client (or a network) may give up on the block first.
    if (FetchFailures.isTimeout(e)) {
      return new Unavailable(504, "retrieving block " + cid + " timed out: no peer sent it within " + timeout.toMillis()
          + " ms (" + timeoutKey + ")", e);
    }
    if (e instanceof DagException d && d.getCause() == null) {
      // The walk's own finding, not a failed fetch: the block is not here and the node does not fetch it.
      return new Unavailable(404, d.getMessage(), d);
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
