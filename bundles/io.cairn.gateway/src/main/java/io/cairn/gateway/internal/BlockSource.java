package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagService;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Blocks for the gateway: from the blockstore, else from peers through a one-block walk of the DAG
 * service (which fetches through bitswap and stores what arrives). Identity CIDs answer their own bytes.
 */
final class BlockSource {
  /** A block neither the node nor its peers produced in time. */
  static final class Missing extends Exception {
    private static final long serialVersionUID = 1L;

    Missing(Cid cid, String why) {
      super("block " + cid + " could not be had: " + why);
    }
  }

  private final MultiTierBlockstore store;
  private final DagService dag;

  BlockSource(MultiTierBlockstore store, DagService dag) {
    this.store = store;
    this.dag = dag;
  }

  static boolean isIdentity(Cid cid) {
    return cid.multihash().code() == Multicodec.IDENTITY.code();
  }

  /** Whether the block is here without asking peers. */
  boolean isLocal(Cid cid, Duration timeout) throws IOException {
    return isIdentity(cid) || await(store.has(cid), timeout, cid);
  }

  /**
   * The block, local or fetched within {@code timeout}.
   *
   * @throws Missing if it cannot be had
   * @throws IOException if the blockstore fails
   */
  Block get(Cid cid, Duration timeout) throws Missing, IOException {
    if (isIdentity(cid)) {
      return new Block(cid, cid.multihash().digest());
    }
    try {
      return store.get(cid).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof BlockNotFoundException)) {
        throw new IOException("reading " + cid + " failed: " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new IOException("the blockstore did not answer for " + cid + " within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    AtomicReference<Block> found = new AtomicReference<>();
    var walk = dag.walk(List.of(cid), new WalkOptions(0, true, WalkOptions.Order.ANY, timeout), (b, depth) -> {
      found.set(b);
      return false;
    });
    try {
      walk.done().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw new Missing(cid, c.getMessage() == null ? c.toString() : c.getMessage());
    } catch (TimeoutException e) {
      walk.cancel();
      throw new Missing(cid, "not found within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      walk.cancel();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (found.get() == null) {
      throw new Missing(cid, "the walk ended without it");
    }
    return found.get();
  }

  private static <T> T await(CompletableFuture<T> f, Duration timeout, Cid cid) throws IOException {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the blockstore failed for " + cid + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("the blockstore did not answer for " + cid + " within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
