package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.BlockstoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a tier's reads off their callers' threads, at most {@code limit} at once; the rest wait in
 * order. The limit is a ceiling: the bitswap engine's adaptive lookup limit decides how many are
 * asked for, and this only keeps a runaway caller from starting unbounded disk reads.
 *
 * <p>Platform threads, not virtual ones: a {@code FileChannel} read holds its virtual thread's
 * carrier for the whole syscall, and on JDK 25 the scheduler adds no carrier meanwhile unless the file
 * was opened for direct I/O ({@code FileChannelImpl.readInternal}: {@code Blocker.begin(direct)}); so
 * on a disk that really waits, reads on virtual threads would run only as many at once as there are
 * cores (FileTierReadBench measures both).
 * Threads start when the reads in flight exceed the idle ones and end after {@link #KEEP_ALIVE_S}
 * idle, so the pool is as large as the concurrency actually reached, not as the limit. Each reading
 * thread keeps the JDK's temporary direct buffer for its largest read: another reason not to keep
 * threads nobody needs.
 *
 * <p>No reading thread is ever interrupted, by a caller or by {@link #close}: an interrupt during a
 * read closes the segment's {@code FileChannel} for every reader and the writer.
 *
 * <p>A read's future completes on its reading thread, so the caller's dependent stages run there and
 * count against the limit until they return; callers with heavy follow-up work chain it with an
 * {@code *Async} stage on their own executor.
 */
final class ReadExecutor {
  /** Seconds an idle reading thread waits for work before it ends. */
  static final long KEEP_ALIVE_S = 30;

  /** A read: blocking work that fails with the blockstore's typed exceptions. */
  @FunctionalInterface
  interface Read<T> {
    T run() throws BlockstoreException;
  }

  private record Task<T>(Read<T> read, CompletableFuture<T> done) {
    void run() {
      try {
        done.complete(read.run());
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }
  }

  private final String tier;
  private final ThreadPoolExecutor threads;
  private final ConcurrentLinkedQueue<Task<?>> waiting = new ConcurrentLinkedQueue<>();
  /** Reads started and not finished, each holding one of the {@link #limit} places. */
  private final AtomicInteger running = new AtomicInteger();
  private volatile int limit;
  private volatile boolean closed;

  ReadExecutor(String tier, int limit) {
    this.tier = tier;
    this.limit = limit;
    AtomicInteger serial = new AtomicInteger();
    // No queue and no thread bound of its own: an idle thread takes a read or a new one starts; the
    // bound is running's, so threads never outnumber reads in flight by more than the ones idling out.
    this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_S, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "cairn-file-" + tier + "-read-" + serial.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Changes the ceiling; reads already running finish, and waiting ones start as places free. */
  void limit(int next) {
    limit = next;
    startWaiting();
  }

  /** Runs {@code read} on a reading thread; a future failed at once if the tier is closed. */
  <T> CompletableFuture<T> submit(Read<T> read) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    CompletableFuture<T> done = new CompletableFuture<>();
    waiting.add(new Task<>(read, done));
    startWaiting();
    // A read queued while close() emptied the queue would otherwise wait for ever.
    if (closed) {
      failWaiting();
    }
    return done;
  }

  /**
   * Starts waiting reads while places are free. Lost wake-ups cannot happen: a submitter queues before
   * it asks for a place, and a finishing read frees its place before it looks at the queue.
   */
  private void startWaiting() {
    while (!waiting.isEmpty()) {
      int now = running.get();
      if (now >= limit) {
        return;
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      Task<?> first = waiting.poll();
      if (first == null) {
        running.decrementAndGet();
        continue;
      }
      try {
        threads.execute(() -> runFrom(first));
      } catch (RejectedExecutionException e) {
        // Closed meanwhile.
        running.decrementAndGet();
        first.done().completeExceptionally(closedError());
      }
    }
  }

  /** Runs {@code first}, then keeps the place for the next waiting read, so a busy pool hands over without a new thread. */
  private void runFrom(Task<?> first) {
    Task<?> task = first;
    while (task != null) {
      task.run();
      task = running.get() <= limit ? waiting.poll() : null;
    }
    running.decrementAndGet();
    startWaiting();
  }

  private void failWaiting() {
    for (Task<?> t; (t = waiting.poll()) != null; ) {
      t.done().completeExceptionally(closedError());
    }
  }

  private BlockstoreException closedError() {
    return new BlockstoreException("the " + tier + " tier is closed");
  }

  /**
   * Takes no more reads, fails the ones still waiting, and lets the running ones finish (for up to
   * {@code waitMs}), without interrupting them. True when none is still running.
   */
  boolean close(long waitMs) {
    closed = true;
    failWaiting();
    threads.shutdown();
    try {
      return threads.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
