package io.cairn.pin.internal;

import java.util.ArrayDeque;
import java.util.Queue;

/** Lets at most {@code limit} tasks run at once; the rest wait in arrival order. The limit may change live. */
final class Admission {
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int running;
  private int limit;

  Admission(int limit) {
    this.limit = limit;
  }

  /** Runs {@code task} now (on this thread) if a place is free, else when one is. It must {@link #release} once. */
  void submit(Runnable task) {
    synchronized (this) {
      if (running >= limit) {
        waiting.add(task);
        return;
      }
      running++;
    }
    task.run();
  }

  /** A task ended: the next waiting one runs on this thread. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = running <= limit ? waiting.poll() : null;
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** A raised limit starts waiting tasks at once; a lowered one takes effect as tasks end. */
  void limit(int value) {
    int start;
    synchronized (this) {
      limit = value;
      start = Math.max(0, Math.min(value - running, waiting.size()));
      running += start;
    }
    for (int i = 0; i < start; i++) {
      Runnable next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          running--;
          continue;
        }
      }
      next.run();
    }
  }

  synchronized int waiting() {
    return waiting.size();
  }
}
