package io.cairn.blockstore.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockstoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tier's read threads: off the caller's thread, bounded, and closed without interrupting a read. */
class ReadExecutorTest {
  private final List<ReadExecutor> opened = new ArrayList<>();
  private final AtomicInteger started = new AtomicInteger();

  @AfterEach
  void close() {
    opened.forEach(r -> r.close(1000));
  }

  private ReadExecutor executor(int limit) {
    ReadExecutor r = new ReadExecutor("ssd", limit);
    opened.add(r);
    return r;
  }

  /** A read that counts its start and then holds its place until {@code release} opens. */
  private ReadExecutor.Read<String> held(CountDownLatch release, String result) {
    return () -> {
      started.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new BlockstoreException("interrupted");
      }
      return result;
    };
  }

  private void awaitStarted(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (started.get() < n) {
      assertTrue(System.nanoTime() < deadline, "only " + started.get() + " of " + n + " reads started");
      Thread.sleep(1);
    }
  }

  @Test
  void aReadRunsOnAReadingThreadAndItsTypedFailureArrivesUnwrapped() {
    ReadExecutor reads = executor(4);
    Thread caller = Thread.currentThread();
    assertNotSame(caller, reads.submit(Thread::currentThread).join());
    BlockNotFoundException missing = new BlockNotFoundException(null, "no such block");
    CompletableFuture<Object> failed = reads.submit(() -> {
      throw missing;
    });
    CompletionException e = assertThrows(CompletionException.class, failed::join);
    assertEquals(missing, e.getCause(), "the tier's exception itself, as failedFuture gave it before");
  }

  @Test
  void readsBeyondTheLimitWaitTheirTurnAndARaisedLimitStartsThem() throws Exception {
    ReadExecutor reads = executor(2);
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<String>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(reads.submit(held(release, "r" + i)));
    }
    awaitStarted(2);
    // A read past the limit would have started at once on its own thread; give it the chance.
    Thread.sleep(200);
    assertEquals(2, started.get(), "two places, two reads running");
    reads.limit(4);
    awaitStarted(4);
    Thread.sleep(200);
    assertEquals(4, started.get());
    release.countDown();
    for (int i = 0; i < 5; i++) {
      assertEquals("r" + i, all.get(i).get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void closingLetsRunningReadsFinishFailsWaitingOnesAndRefusesNewOnes() throws Exception {
    ReadExecutor reads = executor(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> running = reads.submit(held(release, "done"));
    CompletableFuture<String> waiting = reads.submit(held(release, "never"));
    awaitStarted(1);
    CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> reads.close(10_000));
    assertInstanceOf(BlockstoreException.class, assertThrows(CompletionException.class, waiting::join).getCause());
    assertFalse(closed.isDone(), "close waits for the running read");
    release.countDown();
    assertTrue(closed.get(10, TimeUnit.SECONDS));
    assertEquals("done", running.join(), "the running read finished, not interrupted");
    assertEquals(1, started.get(), "the waiting read never ran");
    Throwable refused = assertThrows(CompletionException.class, () -> reads.submit(() -> "late").join()).getCause();
    assertTrue(refused instanceof BlockstoreException && refused.getMessage().contains("ssd tier is closed"),
        refused.toString());
  }
}
