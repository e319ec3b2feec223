package io.cairn.blockstore.batchio.internal;

import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.MemoryPressureException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The back-pressure of the batch queue: how many puts and block bytes are held (waiting in a batch or
 * being written) against the configured limits. A put takes its share before it is queued and gives
 * it back when its batch is written or fails. While the budget is full a put waits, in arrival order
 * (so a large block is not starved by a stream of small ones), up to its timeout.
 */
final class QueueBudget {
  /** One put waiting for room; signalled alone when it reaches the head of the line. */
  private static final class Waiter {
    final Condition turn;

    Waiter(Condition turn) {
      this.turn = turn;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition emptied = lock.newCondition();
  private final ArrayDeque<Waiter> line = new ArrayDeque<>();
  private int maxBlocks;
  private long maxBytes;
  private int blocks;
  private long bytes;
  private boolean closed;

  QueueBudget(int maxBlocks, long maxBytes) {
    this.maxBlocks = maxBlocks;
    this.maxBytes = maxBytes;
  }

  /** New limits, for puts from now on: what is held already stays, and waiters are re-checked. */
  void limits(int maxBlocks, long maxBytes) {
    lock.lock();
    try {
      this.maxBlocks = maxBlocks;
      this.maxBytes = maxBytes;
      signalHead();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes room for one put of {@code size} bytes, waiting up to {@code timeoutMillis} while the budget
   * is full. Throws {@link MemoryPressureException} when the time runs out, {@link BlockstoreException}
   * once the budget is closed.
   */
  void acquire(long size, long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      if (closed) {
        throw closedException();
      }
      if (line.isEmpty() && fits(size)) {
        take(size);
        return;
      }
      Waiter me = new Waiter(lock.newCondition());
      line.addLast(me);
      try {
        long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
          if (closed) {
            throw closedException();
          }
          if (line.peekFirst() == me && fits(size)) {
            take(size);
            return;
          }
          if (left <= 0) {
            throw full(size, timeoutMillis);
          }
          left = me.turn.awaitNanos(left);
        }
      } finally {
        boolean wasHead = line.peekFirst() == me;
        line.remove(me);
        if (wasHead) {
          // Whether this one got in or gave up, the next in line may fit now.
          signalHead();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Gives back the room of {@code puts} puts holding {@code size} bytes in all. */
  void release(int puts, long size) {
    lock.lock();
    try {
      blocks -= puts;
      bytes -= size;
      signalHead();
      if (blocks == 0) {
        emptied.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Refuses every put from now on, including those waiting. What is held is still released as written. */
  void close() {
    lock.lock();
    try {
      closed = true;
      line.forEach(w -> w.turn.signal());
    } finally {
      lock.unlock();
    }
  }

  /** Waits until nothing is held; false if {@code timeoutMillis} passed first. */
  boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
    lock.lock();
    try {
      long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (blocks > 0) {
        if (left <= 0) {
          return false;
        }
        left = emptied.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  int blocks() {
    lock.lock();
    try {
      return blocks;
    } finally {
      lock.unlock();
    }
  }

  long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  private boolean fits(long size) {
    // A block larger than the byte limit is taken when nothing else is held: otherwise it could never
    // be written at all. It is one block, so memory stays bounded by the limit plus that block.
    return blocks < maxBlocks && (blocks == 0 || bytes + size <= maxBytes);
  }

  private void take(long size) {
    blocks++;
    bytes += size;
  }

  private void signalHead() {
    Waiter head = line.peekFirst();
    if (head != null) {
      head.turn.signal();
    }
  }

  private MemoryPressureException full(long size, long timeoutMillis) {
    boolean byCount = blocks >= maxBlocks;
    String key = byCount ? "maxQueuedBlocks" : "maxQueuedBytes";
    String held = byCount ? maxBlocks + " (" + blocks + " puts held)"
        : maxBytes + " (" + bytes + " bytes held, this block " + size + ")";
    return new MemoryPressureException("batch I/O queue full for " + timeoutMillis + " ms at " + key + " " + held
        + "; raise " + key + " or enqueueTimeoutMillis in " + BatchIOComponent.PID + ", or write less at once");
  }

  private static BlockstoreException closedException() {
    return new BlockstoreException("the batch I/O manager (" + BatchIOComponent.PID + ") is stopped; the put was not queued");
  }
}
