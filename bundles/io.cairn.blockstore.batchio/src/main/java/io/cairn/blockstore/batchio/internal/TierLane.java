package io.cairn.blockstore.batchio.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockstoreException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.osgi.service.log.Logger;

/**
 * The batches of one target tier: the one being gathered, the closed ones waiting, and at most one
 * writer. Batches are written in the order they closed, one at a time, each with one
 * {@link BlockTier#putMany}; the writer waits for that write to be durable before it takes the next,
 * so a tier sees its blocks in put order while other tiers' lanes go on. The writer borrows a pool
 * thread only while there is something to write; a lane left with nothing retires itself from the
 * manager's map, so a tier that went away is not kept.
 */
final class TierLane {
  private final BlockTier tier;
  private final Map<BlockTier, TierLane> lanes;
  private final ScheduledExecutorService timers;
  private final Executor writers;
  private final QueueBudget budget;
  private final WriteCounters counters;
  private final Logger log;
  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Batch> closed = new ArrayDeque<>();
  private Batch gathering;
  private boolean writing;
  private boolean retired;

  TierLane(BlockTier tier, Map<BlockTier, TierLane> lanes, ScheduledExecutorService timers, Executor writers,
      QueueBudget budget, WriteCounters counters, Logger log) {
    this.tier = tier;
    this.lanes = lanes;
    this.timers = timers;
    this.writers = writers;
    this.budget = budget;
    this.counters = counters;
    this.log = log;
    this.threadName = "cairn-batchio-" + tier.name();
  }

  /**
   * Adds one admitted put to the batch being gathered, closing it when it reaches the batch size.
   * False if this lane has retired: the caller takes the tier's current lane and tries again.
   */
  boolean add(Block block, PutFuture future, BatchIOSettings settings) {
    lock.lock();
    try {
      if (retired) {
        return false;
      }
      if (gathering == null) {
        Batch batch = new Batch();
        gathering = batch;
        try {
          batch.timer = timers.schedule(() -> closeIfGathering(batch), settings.batchTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
          // The manager is stopping: nothing would close this batch later, so it closes with this put.
        }
      }
      gathering.add(block, future);
      if (gathering.size() >= settings.batchSize() || gathering.timer == null) {
        closeGathering();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Closes the batch being gathered, if any, for writing now. */
  void flush() {
    lock.lock();
    try {
      if (gathering != null) {
        closeGathering();
      }
    } finally {
      lock.unlock();
    }
  }

  /** After the batch size was lowered: closes the batch being gathered if it already holds that many. */
  void closeIfFull(int batchSize) {
    lock.lock();
    try {
      if (gathering != null && gathering.size() >= batchSize) {
        closeGathering();
      }
    } finally {
      lock.unlock();
    }
  }

  private void closeIfGathering(Batch batch) {
    lock.lock();
    try {
      if (gathering == batch) {
        closeGathering();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: the gathered batch joins the closed ones, and a writer starts if none runs. */
  private void closeGathering() {
    Batch batch = gathering;
    gathering = null;
    if (batch.timer != null) {
      batch.timer.cancel(false);
    }
    closed.addLast(batch);
    if (!writing) {
      writing = true;
      try {
        writers.execute(this::drain);
      } catch (RejectedExecutionException stopped) {
        // Only after the manager gave up waiting at stop: nothing will write these, so say so.
        writing = false;
        BlockstoreException cause = new BlockstoreException("the batch I/O manager (" + BatchIOComponent.PID
            + ") stopped before this batch for tier " + tier.name() + " was written");
        for (Batch b; (b = closed.pollFirst()) != null; ) {
          budget.release(b.puts(), b.bytes());
          b.fail(cause);
        }
      }
    }
  }

  /** The writer: writes the closed batches in order until none is left. */
  private void drain() {
    Thread thread = Thread.currentThread();
    String idleName = thread.getName();
    thread.setName(threadName);
    try {
      while (true) {
        Batch batch;
        lock.lock();
        try {
          batch = closed.pollFirst();
          if (batch == null) {
            writing = false;
            if (gathering == null) {
              retired = true;
              lanes.remove(tier, this);
            }
            return;
          }
        } finally {
          lock.unlock();
        }
        write(batch);
      }
    } finally {
      thread.setName(idleName);
    }
  }

  private void write(Batch batch) {
    Throwable failure = null;
    try {
      CompletableFuture<Void> durable = tier.putMany(batch.blocks());
      if (durable == null) {
        throw new IllegalStateException("tier " + tier.name() + " returned no future from putMany");
      }
      durable.join();
    } catch (Throwable t) {
      // Whatever the tier throws or fails with, synchronously or not, fails this batch's puts and only
      // them: the lane must live on to write the next batch.
      failure = unwrap(t);
    }
    budget.release(batch.puts(), batch.bytes());
    if (failure == null) {
      counters.written(batch.size());
    } else {
      log.debug("batch of {} blocks to tier {} failed: {}", batch.size(), tier.name(), failure.toString());
    }
    Throwable cause = failure;
    Runnable answer = cause == null ? batch::complete : () -> batch.fail(cause);
    try {
      // The puts' callers run their continuations on the thread that completes them: not on this
      // writer, which must go on writing (a continuation that waits for another put to the same tier
      // would otherwise wait for itself).
      writers.execute(answer);
    } catch (RejectedExecutionException stopped) {
      answer.run();
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
