package io.cairn.dag.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.exchange.BlockExchange;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.testing.Components;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A fetching walk keeps as many in flight as its session's window asks, never fewer than its concurrency key. */
class WindowWalkTest {
  private final Store store = new Store();

  /** An exchange whose gets wait until the test answers them, and whose sessions report a fixed window. */
  static final class HeldExchange implements BlockExchange {
    final int window;
    final Map<Cid, CompletableFuture<Block>> pending = new ConcurrentHashMap<>();

    HeldExchange(int window) {
      this.window = window;
    }

    @Override
    public CompletableFuture<Block> get(Cid cid, Duration timeout) {
      return pending.computeIfAbsent(cid, c -> new CompletableFuture<>());
    }

    @Override
    public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
      return cids.stream().map(c -> get(c, timeout)).toList();
    }

    @Override
    public Session newSession() {
      return new Session() {
        @Override
        public CompletableFuture<Block> get(Cid cid, Duration timeout) {
          return HeldExchange.this.get(cid, timeout);
        }

        @Override
        public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
          return HeldExchange.this.getMany(cids, timeout);
        }

        @Override
        public int window() {
          return window;
        }

        @Override
        public void close() {}
      };
    }
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 50})
  void keepsTheSessionsWindowInFlightAboveTheConcurrencyFloor(int window) throws Exception {
    List<Block> leaves = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      leaves.add(Block.raw(("remote leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    Block root = store.pb(leaves.stream().map(Block::cid).toList(), "root"); // local; its leaves are not
    HeldExchange exchange = new HeldExchange(window);
    Components.call(store.blocks, "bindExchange", exchange);
    DagWalk walk = store.dag(Map.of("concurrency", 8)).walk(List.of(root.cid()),
        WalkOptions.fetching(Duration.ofSeconds(30)).withOrder(WalkOptions.Order.ANY), (Block b, int depth) -> true);
    awaitPending(exchange, 8);
    // One arrives: the walk steps again and reads its session's window.
    Block first = leaves.stream().filter(b -> exchange.pending.containsKey(b.cid())).findFirst().orElseThrow();
    exchange.pending.get(first.cid()).complete(first);
    int expected = 1 + Math.max(8, window);
    awaitPending(exchange, expected);
    Thread.sleep(100); // nothing more may follow: the walk is at its limit
    assertEquals(expected, exchange.pending.size(), "asked of the exchange, one answered");
    walk.cancel();
  }

  private static void awaitPending(HeldExchange exchange, int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (exchange.pending.size() < n && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertTrue(exchange.pending.size() >= n, exchange.pending.size() + " of " + n);
  }
}
