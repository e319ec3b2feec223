package io.cairn.testing.blockstore;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real tier behind a switch: reads (and, apart, writes) pass through, fail with an I/O error, hang
 * (a future that never completes, as a read stuck on a dead disk), or (reads) answer after
 * {@link #slowMillis} ({@link #SLOW_MS} unless set), as an overloaded disk does. Counts the reads that reached it. For the tiered
 * store's breaker tests and the breaker benchmark.
 */
public final class FaultyTier implements BlockTier {
  /** What reads (or writes) do now. */
  public enum Mode { OK, FAIL, HANG, SLOW }

  public static final long SLOW_MS = 500;

  private final BlockTier real;
  public volatile Mode reads = Mode.OK;
  /** How long a {@link Mode#SLOW} read takes. */
  public volatile long slowMillis = SLOW_MS;
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
      case SLOW -> CompletableFuture.supplyAsync(() -> null,
          CompletableFuture.delayedExecutor(slowMillis, java.util.concurrent.TimeUnit.MILLISECONDS)).thenCompose(v -> call.get());
    };
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
    return read(() -> real.has(cid));
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return read(() -> real.get(cid));
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return read(() -> real.getSize(cid));
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
