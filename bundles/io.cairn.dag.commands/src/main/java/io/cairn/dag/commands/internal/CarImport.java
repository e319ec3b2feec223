package io.cairn.dag.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.car.Car;
import io.cairn.car.CarLimits;
import io.cairn.car.CarReader;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * Reads CARs into the blockstore: every block verified by the reader, stored in batches through
 * {@link MultiTierBlockstore#putBatch}, one batch in flight while the next is read (the store keeps nothing
 * for identity blocks: their bytes are in their CIDs). The roots are gathered for pinning, which the caller
 * does only once every CAR was read whole: a malformed or truncated CAR fails the import and pins nothing
 * (blocks stored before the fault stay, unpinned, as in Kubo).
 */
final class CarImport {
  private final MultiTierBlockstore store;
  private final DagCommandsSettings settings;
  private final Set<Cid> roots = new LinkedHashSet<>();
  private final LongConsumer progress;
  private long blocks;
  private long bytes;
  private long readBlocks;
  private long readBytes;
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

  /** @param progress told the count of blocks put so far, after each batch */
  CarImport(MultiTierBlockstore store, DagCommandsSettings settings, LongConsumer progress) {
    this.store = store;
    this.settings = settings;
    this.progress = progress;
  }

  /**
   * Reads one CAR to its end and stores its blocks.
   *
   * @throws io.cairn.car.CarFormatException if the CAR is malformed, truncated or holds a bad block
   * @throws IOException if the stream or the blockstore fails
   */
  void read(InputStream car) throws IOException {
    CarReader reader = Car.reader(car, new CarLimits(settings.maxHeaderBytes(), store.maxBlockSize()));
    List<Cid> carRoots = reader.header().roots();
    List<Block> batch = new ArrayList<>();
    long batchBytes = 0;
    for (Block b = reader.next(); b != null; b = reader.next()) {
      batch.add(b);
      batchBytes += b.size();
      if (batch.size() >= settings.importBatchBlocks() || batchBytes >= settings.importBatchBytes()) {
        store(batch, batchBytes);
        batch = new ArrayList<>();
        batchBytes = 0;
      }
    }
    store(batch, batchBytes);
    awaitStored();
    readBlocks += reader.blocks();
    readBytes += reader.blockBytes();
    roots.addAll(carRoots);
  }

  private void store(List<Block> batch, long batchBytes) throws IOException {
    awaitStored();
    if (batch.isEmpty()) {
      return;
    }
    int n = batch.size();
    inFlight = store.putBatch(batch).thenRun(() -> {
      synchronized (this) {
        blocks += n;
        bytes += batchBytes;
      }
      progress.accept(blocks());
    });
  }

  private void awaitStored() throws IOException {
    await(inFlight, Duration.ofMinutes(10), "storing imported blocks");
  }

  /** The roots named by the CARs read so far, each once, in the order met. */
  List<Cid> roots() {
    return List.copyOf(roots);
  }

  /** Blocks put into the store so far, identity blocks included (the store keeps nothing for those). */
  synchronized long blocks() {
    return blocks;
  }

  /** Blocks read from the CARs read whole, identity blocks included: Kubo's BlockCount. */
  long readBlocks() {
    return readBlocks;
  }

  /** Their bytes: Kubo's BlockBytesCount. */
  long readBytes() {
    return readBytes;
  }

  synchronized long bytes() {
    return bytes;
  }

  /** The future's value within {@code timeout}; its failure (or the timeout) as an IOException saying {@code what}. */
  static <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws IOException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException(what + " failed: " + (cause.getMessage() == null ? cause : cause.getMessage()), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IOException(what + " did not finish within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new IOException("interrupted while " + what, e);
    }
  }
}
