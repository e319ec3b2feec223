package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.BatchIOManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When the store asks the {@link BatchIOManager} to write what it has gathered, instead of letting a
 * lone put wait out the whole {@code BatchTimeout}: group commit.
 *
 * <ul>
 * <li>A put handed over while no earlier write of this store is in flight is flushed at once: there is
 * nobody to group it with, and waiting would only add latency (an idle node answers a single put in
 * one {@code force}, not in 100 ms).</li>
 * <li>A put handed over while writes are in flight is not flushed: it joins the batch being gathered,
 * and that batch is flushed as soon as an in-flight write completes, i.e. when the disk is free again.
 * Under load the batches therefore grow to what arrives during one durable write, and still close at
 * {@code BatchSize} or {@code BatchTimeout} if those come first.</li>
 * <li>An explicit batch ({@code putBatch}, {@code putMany}) is flushed at once: it is a batch already.</li>
 * </ul>
 */
final class GroupCommit {
  /** Writes of this store handed to the BatchIOManager and not yet completed. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Whether a write was handed over since the last flush this class asked for. */
  private final AtomicBoolean gathering = new AtomicBoolean();

  /** Registers {@code write}, just handed to {@code batchio}, and flushes according to the policy. */
  <T> CompletableFuture<T> submitted(BatchIOManager batchio, CompletableFuture<T> write, boolean explicitBatch) {
    // Order matters: gathering is raised before the count, so a completion that sees the count still
    // above zero also sees that there is something to flush.
    gathering.set(true);
    if (inFlight.getAndIncrement() == 0 || explicitBatch) {
      flush(batchio);
    }
    write.whenComplete((v, e) -> {
      if (inFlight.decrementAndGet() > 0 && gathering.get()) {
        flush(batchio);
      }
    });
    return write;
  }

  private void flush(BatchIOManager batchio) {
    if (gathering.getAndSet(false)) {
      batchio.flush();
    }
  }

  int inFlight() {
    return inFlight.get();
  }
}
