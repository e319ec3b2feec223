package io.cairn.testing.blockstore;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import java.io.InputStream;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real tier behind a switch: reads (and, apart, writes) pass through, fail with an I/O error, hang
 * (a future that never completes, as a read stuck on a dead disk), or (reads) answer after
 * {@link #slowMillis} ({@link #SLOW_MS} unless set), as an overloaded disk does; with {@link #slowReadsAtOnce}
 * set, at most that many slow reads run at once and the others queue in order, as on a device with that
 * queue depth, whose throughput is then slowReadsAtOnce / slowMillis reads per second whatever is asked of
 * it. Counts the reads that reached it. For the tiered store's breaker tests and the engine's benchmarks.
 */
public final class FaultyTier implements BlockTier {
  /** What reads (or writes) do now. */
  public enum Mode { OK, FAIL, HANG, SLOW }

  public static final long SLOW_MS = 500;

  private final BlockTier real;
  public volatile Mode reads = Mode.OK;
  /** How long a {@link Mode#SLOW} read takes. */
  public volatile long slowMillis = SLOW_MS;
  /** How many {@link Mode#SLOW} reads run at once (the rest wait their turn); 0: no bound. */
  public volatile int slowReadsAtOnce;
  /**
   * Whether {@code has} and {@code getSize} are reads of the device too (the default), or answered at
   * once, as the file tier answers them from its index in memory.
   */
  public volatile boolean slowIndexReads = true;
  private final Queue<Runnable> waitingReads = new ConcurrentLinkedQueue<>();
  private final AtomicInteger slowReadsRunning = new AtomicInteger();
  public volatile Mode writes = Mode.OK;
  public final AtomicInteger readsReached = new AtomicInteger();

  public FaultyTier(BlockTier real) {
    this.real = real;
  }

  private <T> CompletableFuture<T> read(java.util.function.Supplier<CompletableFuture<T>> call) {
    readsReached.incrementAndGet();
    return switch (reads) {
      case OK -> call.get();
      case FAIL -> CompletableFuture.failedFuture(new BlockstoreException("injected read failure: I/O error"));
      case HANG -> new CompletableFuture<>();
      case SLOW -> slow(call);
    };
  }

  private <T> CompletableFuture<T> slow(java.util.function.Supplier<CompletableFuture<T>> call) {
    if (slowReadsAtOnce <= 0) {
      return CompletableFuture.supplyAsync(() -> null,
          CompletableFuture.delayedExecutor(slowMillis, TimeUnit.MILLISECONDS)).thenCompose(v -> call.get());
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    waitingReads.add(() -> CompletableFuture.delayedExecutor(slowMillis, TimeUnit.MILLISECONDS).execute(() -> {
      call.get().whenComplete((v, e) -> {
        slowReadsRunning.decrementAndGet();
        startWaitingReads();
        if (e != null) {
          out.completeExceptionally(e);
        } else {
          out.complete(v);
        }
      });
    }));
    startWaitingReads();
    return out;
  }

  /** Starts queued slow reads while fewer than {@link #slowReadsAtOnce} run. */
  private void startWaitingReads() {
    while (true) {
      int running = slowReadsRunning.get();
      if (running >= slowReadsAtOnce || waitingReads.isEmpty()) {
        return;
      }
      if (slowReadsRunning.compareAndSet(running, running + 1)) {
        Runnable next = waitingReads.poll();
        if (next == null) {
          slowReadsRunning.decrementAndGet();
        } else {
          next.run();
        }
      }
    }
  }

  private <T> CompletableFuture<T> write(java.util.function.Supplier<CompletableFuture<T>> call) {
    return switch (writes) {
      case OK -> call.get();
      case FAIL -> CompletableFuture.failedFuture(new BlockstoreException("injected write failure: I/O error"));
      case HANG, SLOW -> new CompletableFuture<>();
    };
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return slowIndexReads ? read(() -> real.has(cid)) : real.has(cid);
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return read(() -> real.get(cid));
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return slowIndexReads ? read(() -> real.getSize(cid)) : real.getSize(cid);
  }

  @Override
  public CompletableFuture<InputStream> getStream(Cid cid) {
    return read(() -> real.getStream(cid));
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    return write(() -> real.put(block));
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    return write(() -> real.putMany(blocks));
  }

  @Override
  public CompletableFuture<Boolean> delete(Cid cid) {
    return write(() -> real.delete(cid));
  }

  @Override
  public Stream<Cid> keys() {
    return real.keys();
  }

  @Override
  public String name() {
    return real.name();
  }

  @Override
  public boolean persistent() {
    return real.persistent();
  }

  @Override
  public TierStats stats() {
    return real.stats();
  }
}
