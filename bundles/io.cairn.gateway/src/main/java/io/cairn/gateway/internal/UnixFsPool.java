package io.cairn.gateway.internal;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads UnixFS work runs on (its reads wait for blocks), and its admission. A request takes a place at
 * its first UnixFS step, while fewer than threads + queue requests hold one, and keeps it until it ends: its
 * later steps (a path resolved, then the entity's range, then the entity's blocks) run on the threads the
 * request was admitted to and are never refused, which an answer already started could not report.
 *
 * <p>A pool replaced by a new configuration is {@link #retire() retired}: it takes no new request and shuts
 * its threads down when the last request holding a place ends.
 */
final class UnixFsPool {
  private final ThreadPoolExecutor threads;
  private final int places;
  private int taken;
  private boolean retired;

  /** Threads for {@code threads} requests at once, and places for {@code queued} more waiting for one. */
  UnixFsPool(int threads, int queued) {
    this.places = threads + queued;
    // Unbounded, as the places bound it: each request holding a place has at most one step queued at a time.
    this.threads = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new DefaultThreadFactory("cairn-gateway-unixfs", true));
    this.threads.allowCoreThreadTimeOut(true);
  }

  /** One request's use of the pool: it takes its place at its first step; {@link #close()} gives it back. */
  Request request() {
    return new Request();
  }

  /** Takes no new request; the threads stop once the requests holding a place have ended. */
  synchronized void retire() {
    retired = true;
    if (taken == 0) {
      threads.shutdown();
    }
  }

  /** Stops the threads now, interrupting the work running on them. */
  void shutdownNow() {
    threads.shutdownNow();
  }

  /** How many requests hold a place. */
  synchronized int taken() {
    return taken;
  }

  private synchronized boolean take() {
    if (retired || taken == places) {
      return false;
    }
    taken++;
    return true;
  }

  private synchronized void giveBack() {
    taken--;
    if (retired && taken == 0) {
      threads.shutdown();
    }
  }

  /** Runs one request's UnixFS steps. */
  final class Request implements Executor, AutoCloseable {
    private boolean placed;
    private boolean closed;

    /**
     * Runs {@code step} on the pool's threads.
     *
     * @throws RejectedExecutionException if this is the request's first step and every place is taken (or the
     *     pool retired), or the request has ended
     */
    @Override
    public void execute(Runnable step) {
      synchronized (this) {
        if (closed) {
          throw new RejectedExecutionException("the request has ended");
        }
        if (!placed) {
          if (!take()) {
            throw new RejectedExecutionException("all " + places + " places for UnixFS requests are taken");
          }
          placed = true;
        }
      }
      threads.execute(step);
    }

    /** Gives the request's place back, if it took one. */
    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        if (placed) {
          giveBack();
        }
      }
    }
  }
}
