package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.unixfs.UnixFsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An import's writes: blocks gathered into batches of about {@code batchBytes}, each one durable
 * {@link MultiTierBlockstore#putBatch}, with one batch in flight while the next is filled (hashing
 * overlaps the disk). With only-hash nothing is stored.
 */
final class BlockWriter {
  private final MultiTierBlockstore store;
  private final int batchBytes;
  private final Duration timeout;
  private List<Block> batch = new ArrayList<>();
  private long batchSize;
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

  /** @param store null for only-hash */
  BlockWriter(MultiTierBlockstore store, int batchBytes, Duration timeout) {
    this.store = store;
    this.batchBytes = batchBytes;
    this.timeout = timeout;
  }

  void add(Block block) throws UnixFsException {
    if (store == null) {
      return;
    }
    batch.add(block);
    batchSize += block.data().length;
    if (batchSize >= batchBytes) {
      send();
    }
  }

  /** Sends what is gathered once the batch before it is durable. */
  private void send() throws UnixFsException {
    await();
    if (!batch.isEmpty()) {
      inFlight = store.putBatch(batch);
      batch = new ArrayList<>();
      batchSize = 0;
    }
  }

  /** Returns once every block added so far is durable. */
  void flush() throws UnixFsException {
    if (store == null) {
      return;
    }
    send();
    await();
  }

  private void await() throws UnixFsException {
    try {
      inFlight.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new UnixFsException(null, "the blockstore did not store a batch within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new UnixFsException(null, "storing imported blocks failed: "
          + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnixFsException(null, "interrupted while storing imported blocks", e);
    }
  }
}
