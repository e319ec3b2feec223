package io.cairn.blockstore.batchio.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.TierStats;
import io.cairn.blockstore.memory.internal.MemoryTier;
import io.cairn.multiformats.Cid;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A real memory tier seen through a test's eyes: records every putMany, can hold writes until the test
 * opens the gate (a slow disk), and can fail the next putMany by throwing or with a failed future.
 */
final class WatchedTier implements BlockTier {
  final MemoryTier memory;
  private final String name;
  /** Every putMany's blocks, in call order. */
  final List<List<Block>> calls = new CopyOnWriteArrayList<>();
  private final BlockingQueue<List<Block>> entered = new LinkedBlockingQueue<>();
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  private final AtomicReference<RuntimeException> throwNext = new AtomicReference<>();
  private final AtomicReference<RuntimeException> failNext = new AtomicReference<>();

  WatchedTier(String name, MemoryTier memory) {
    this.name = name;
    this.memory = memory;
  }

  /** Writes from now on wait (their futures stay incomplete) until {@link #open()}. */
  void hold() {
    gate = new CompletableFuture<>();
  }

  void open() {
    gate.complete(null);
  }

  /** The next putMany throws {@code e} instead of returning a future. */
  void throwNext(RuntimeException e) {
    throwNext.set(e);
  }

  /** The next putMany returns a future failed with {@code e}. */
  void failNext(RuntimeException e) {
    failNext.set(e);
  }

  /** The blocks of the next putMany call, waiting for it up to 30 s; null if none came. */
  List<Block> nextCall() throws InterruptedException {
    return entered.poll(30, TimeUnit.SECONDS);
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    List<Block> copy = List.copyOf(blocks);
    calls.add(copy);
    entered.add(copy);
    RuntimeException thrown = throwNext.getAndSet(null);
    if (thrown != null) {
      throw thrown;
    }
    RuntimeException failed = failNext.getAndSet(null);
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    return gate.thenCompose(v -> memory.putMany(copy));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public TierStats stats() {
    return memory.stats();
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return memory.has(cid);
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return memory.get(cid);
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return memory.getSize(cid);
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    return putMany(List.of(block));
  }

  @Override
  public CompletableFuture<Boolean> delete(Cid cid) {
    return memory.delete(cid);
  }

  @Override
  public Stream<Cid> keys() {
    return memory.keys();
  }
}
