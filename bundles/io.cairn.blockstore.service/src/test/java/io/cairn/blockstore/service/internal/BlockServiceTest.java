package io.cairn.blockstore.service.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockFetchTimeoutException;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockService;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The block service over the real tiered store, with exchanges that answer only when told to. */
class BlockServiceTest {
  private static final Duration LONG = Duration.ofSeconds(30);
  private final Store store = new Store();
  private final BlockServiceComponent service = new BlockServiceComponent(store.store, store.logger);
  private final FakeExchange a = new FakeExchange(store.store);
  private final FakeExchange b = new FakeExchange(store.store);

  @AfterEach
  void close() {
    store.close();
  }

  private static Block block(String text) {
    return Block.raw(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Throwable failure(CompletableFuture<Block> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void aLocalBlockIsAnsweredWithoutAskingTheExchange() throws Exception {
    Block x = block("local");
    service.put(x).get();
    service.bindExchange(a);
    assertEquals(x, service.get(x.cid(), LONG).get(10, TimeUnit.SECONDS));
    assertTrue(service.has(x.cid()).get());
    assertEquals(x.size(), service.getSize(x.cid()).get());
    assertEquals(List.of(), a.asked);
  }

  @Test
  void aMissingBlockIsFetchedFromTheExchange() throws Exception {
    Block x = block("remote");
    service.bindExchange(a);
    CompletableFuture<Block> got = service.get(x.cid(), LONG);
    eventually("the exchange is asked", () -> a.wanting(x.cid()));
    a.deliver(x);
    assertEquals(x, got.get(10, TimeUnit.SECONDS));
    assertTrue(store.store.has(x.cid()).get(), "the exchange stored it");
  }

  @Test
  void withoutAnExchangeAMissFailsAtOnceAsNotFound() {
    Block x = block("nowhere");
    assertFalse(service.online());
    Throwable e = failure(service.get(x.cid(), LONG));
    BlockNotFoundException nf = assertInstanceOf(BlockNotFoundException.class, e);
    assertEquals(x.cid(), nf.cid());
    assertEquals("block " + x.cid() + " is not in the local blockstore and no exchange (bitswap) runs to fetch it",
        nf.getMessage());
    // The same from a session.
    try (BlockService.Session s = service.newSession()) {
      assertInstanceOf(BlockNotFoundException.class, failure(s.get(x.cid(), LONG)));
    }
  }

  @Test
  void identityCidsAreAnsweredFromTheCidAndNeverFetched() throws Exception {
    byte[] bytes = "inline".getBytes(StandardCharsets.UTF_8);
    Cid id = Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.IDENTITY, bytes));
    service.bindExchange(a);
    assertArrayEquals(bytes, service.get(id, LONG).get(10, TimeUnit.SECONDS).data());
    service.unbindExchange(a);
    assertArrayEquals(bytes, service.get(id, LONG).get(10, TimeUnit.SECONDS).data());
    assertEquals(List.of(), a.asked);
  }

  @Test
  void cancellingAGetWithdrawsTheWant() throws Exception {
    Block x = block("cancelled");
    service.bindExchange(a);
    CompletableFuture<Block> got = service.get(x.cid(), LONG);
    eventually("the exchange is asked", () -> a.wanting(x.cid()));
    got.cancel(false);
    assertFalse(a.wanting(x.cid()), "the exchange's want is cancelled with the get");
  }

  @Test
  void aFetchNoPeerAnswersFailsWithTheTypedTimeout() {
    Block x = block("slow");
    service.bindExchange(a); // never answers and never times out itself: the service's guard fires
    Throwable e = failure(service.get(x.cid(), Duration.ofMillis(20)));
    BlockFetchTimeoutException t = assertInstanceOf(BlockFetchTimeoutException.class, e);
    assertEquals(x.cid(), t.cid());
    assertFalse(a.wanting(x.cid()), "the timed-out want is withdrawn");
    // A zero timeout fetches nothing.
    assertInstanceOf(BlockFetchTimeoutException.class, failure(service.get(block("zero").cid(), Duration.ZERO)));
  }

  @Test
  void anExchangeFailureIsTheGetsFailure() {
    Block x = block("broken");
    service.bindExchange(a);
    CompletableFuture<Block> got = service.get(x.cid(), LONG);
    a.asked.clear();
    a.wants.computeIfAbsent(x.cid(), c -> List.of()); // the want exists
    try {
      eventually("the exchange is asked", () -> a.wanting(x.cid()));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    a.wants.get(x.cid()).forEach(f -> f.completeExceptionally(new IllegalStateException("peer sent garbage")));
    assertEquals("peer sent garbage", assertInstanceOf(IllegalStateException.class, failure(got)).getMessage());
  }

  /** bitswap replaced under traffic (GREEDY: the new one binds, then the old one leaves and cancels its wants). */
  @Test
  void aFetchInFlightMovesToTheExchangeThatReplacesItsOwn() throws Exception {
    Block x = block("swapped");
    service.bindExchange(a);
    CompletableFuture<Block> got = service.get(x.cid(), LONG);
    CompletableFuture<Block> fromSession;
    try (BlockService.Session s = service.newSession()) {
      Block y = block("swapped in a session");
      fromSession = s.get(y.cid(), LONG);
      eventually("both asked of a", () -> a.wanting(x.cid()) && a.wanting(y.cid()));
      service.bindExchange(b);
      a.stop(); // a stopping client cancels what it was asked
      service.unbindExchange(a);
      assertFalse(got.isDone(), "the old exchange's cancellation is not the get's failure");
      eventually("both asked of b", () -> b.wanting(x.cid()) && b.wanting(y.cid()));
      b.deliver(x);
      b.deliver(y);
      assertEquals(y, fromSession.get(10, TimeUnit.SECONDS));
      assertEquals(1, a.sessionsClosed.get(), "the session on the old exchange is closed");
    }
    assertEquals(x, got.get(10, TimeUnit.SECONDS));
    assertSame(true, service.online());
  }

  /** bitswap restarted: between stop and start no exchange runs; the fetch waits for the next one. */
  @Test
  void aFetchWhoseExchangeStopsWaitsForTheNextWithinItsTimeout() throws Exception {
    Block x = block("restarted");
    service.bindExchange(a);
    CompletableFuture<Block> got = service.get(x.cid(), LONG);
    eventually("asked of a", () -> a.wanting(x.cid()));
    service.unbindExchange(a);
    a.stop();
    assertFalse(service.online());
    assertFalse(got.isDone());
    service.bindExchange(b);
    eventually("asked of b", () -> b.wanting(x.cid()));
    b.deliver(x);
    assertEquals(x, got.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aSessionSharesOneExchangeSessionAndClosingItCancelsWhatItWants() throws Exception {
    service.bindExchange(a);
    Block x = block("one");
    Block y = block("two");
    BlockService.Session s = service.newSession();
    List<CompletableFuture<Block>> got = s.getMany(List.of(x.cid(), y.cid(), x.cid()), LONG);
    assertSame(got.get(0), got.get(2), "duplicates share a future");
    eventually("both asked", () -> a.wanting(x.cid()) && a.wanting(y.cid()));
    assertEquals(1, a.sessionsOpened.get());
    a.deliver(x);
    assertEquals(x, got.get(0).get(10, TimeUnit.SECONDS));
    s.close();
    assertThrows(CancellationException.class, () -> got.get(1).get(10, TimeUnit.SECONDS));
    assertFalse(a.wanting(y.cid()));
    assertEquals(1, a.sessionsClosed.get());
    assertThrows(CancellationException.class, () -> s.get(block("after").cid(), LONG).get(10, TimeUnit.SECONDS));
  }
}
