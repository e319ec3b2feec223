package io.cairn.blockstore.service.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.exchange.BlockExchange;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An exchange that answers only when told: {@link #deliver} stores the block and completes its wants, as
 * bitswap does; {@link #stop} cancels every want, as a bitswap client that is stopping does.
 */
final class FakeExchange implements BlockExchange {
  final MultiTierBlockstore store;
  final List<Cid> asked = new CopyOnWriteArrayList<>();
  final Map<Cid, List<CompletableFuture<Block>>> wants = new ConcurrentHashMap<>();
  final AtomicInteger sessionsOpened = new AtomicInteger();
  final AtomicInteger sessionsClosed = new AtomicInteger();

  FakeExchange(MultiTierBlockstore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Block> get(Cid cid, Duration timeout) {
    asked.add(cid);
    CompletableFuture<Block> f = new CompletableFuture<>();
    wants.computeIfAbsent(cid, c -> new CopyOnWriteArrayList<>()).add(f);
    return f;
  }

  @Override
  public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
    List<CompletableFuture<Block>> out = new ArrayList<>();
    cids.forEach(c -> out.add(get(c, timeout)));
    return out;
  }

  @Override
  public Session newSession() {
    sessionsOpened.incrementAndGet();
    List<CompletableFuture<Block>> mine = new CopyOnWriteArrayList<>();
    return new Session() {
      @Override
      public CompletableFuture<Block> get(Cid cid, Duration timeout) {
        CompletableFuture<Block> f = FakeExchange.this.get(cid, timeout);
        mine.add(f);
        return f;
      }

      @Override
      public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
        List<CompletableFuture<Block>> out = new ArrayList<>();
        cids.forEach(c -> out.add(get(c, timeout)));
        return out;
      }

      @Override
      public void close() {
        sessionsClosed.incrementAndGet();
        mine.forEach(f -> f.cancel(false));
      }
    };
  }

  /** Whether a want for {@code cid} is open (asked and neither answered nor cancelled). */
  boolean wanting(Cid cid) {
    return wants.getOrDefault(cid, List.of()).stream().anyMatch(f -> !f.isDone());
  }

  void deliver(Block block) {
    store.put(block).join();
    wants.getOrDefault(block.cid(), List.of()).forEach(f -> f.complete(block));
  }

  void stop() {
    wants.values().forEach(l -> l.forEach(f -> f.cancel(false)));
  }
}
