package io.cairn.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnixFsPoolTest {

  @Test
  void aRequestsLaterStepsRunWhileItsFirstStillHoldsTheOnlyThread() throws Exception {
    UnixFsPool pool = new UnixFsPool(1, 0);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> second = new CompletableFuture<>();
    try (UnixFsPool.Request first = pool.request(); UnixFsPool.Request other = pool.request()) {
      // The step ends by handing on to the request's next step while still on the pool's only thread,
      // as a future's continuation does: the next step waits for the thread instead of being refused.
      first.execute(() -> {
        first.execute(() -> second.complete(null));
        await(release);
      });
      RejectedExecutionException full = assertThrows(RejectedExecutionException.class, () -> other.execute(() -> { }));
      assertTrue(full.getMessage().contains("all 1 places"), full.getMessage());
      release.countDown();
      second.get(5, TimeUnit.SECONDS);
    }
    assertEquals(0, pool.taken());
    CompletableFuture<Void> next = new CompletableFuture<>();
    try (UnixFsPool.Request later = pool.request()) {
      later.execute(() -> next.complete(null));
      next.get(5, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
  }

  @Test
  void placesAreThreadsAndQueueAndOnlyTakenSteps() throws Exception {
    UnixFsPool pool = new UnixFsPool(1, 1);
    UnixFsPool.Request never = pool.request();
    UnixFsPool.Request a = pool.request();
    UnixFsPool.Request b = pool.request();
    UnixFsPool.Request c = pool.request();
    CountDownLatch release = new CountDownLatch(1);
    a.execute(() -> await(release));
    b.execute(() -> { });
    assertThrows(RejectedExecutionException.class, () -> c.execute(() -> { }));
    assertEquals(2, pool.taken(), "a request that never ran a step takes no place");
    never.close();
    assertEquals(2, pool.taken());
    release.countDown();
    a.close();
    a.close();
    assertEquals(1, pool.taken(), "a place is given back once");
    assertThrows(RejectedExecutionException.class, () -> a.execute(() -> { }), "an ended request runs nothing");
    b.close();
    pool.shutdownNow();
  }

  @Test
  void aRetiredPoolFinishesItsRequestsAndTakesNoNewOne() throws Exception {
    UnixFsPool pool = new UnixFsPool(2, 2);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> after = new CompletableFuture<>();
    UnixFsPool.Request admitted = pool.request();
    admitted.execute(() -> await(release));
    pool.retire();
    assertThrows(RejectedExecutionException.class, () -> pool.request().execute(() -> { }));
    admitted.execute(() -> after.complete(null));
    release.countDown();
    after.get(5, TimeUnit.SECONDS);
    admitted.close();
    assertEquals(0, pool.taken());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
