package io.cairn.blockstore.batchio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.MemoryPressureException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QueueBudgetTest {
  /** Runs an acquire on its own thread; what it threw (null: admitted) lands in {@code outcome}. */
  private static Thread acquiring(QueueBudget budget, long size, AtomicReference<Throwable> outcome) {
    Thread t = new Thread(() -> {
      try {
        budget.acquire(size, 60_000);
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, "acquire-" + size);
    t.start();
    return t;
  }

  @Test
  void putsAreAdmittedInArrivalOrderSoALargeOneIsNotStarved() throws Exception {
    QueueBudget budget = new QueueBudget(10, 100);
    budget.acquire(60, 0);
    AtomicReference<Throwable> large = new AtomicReference<>();
    Thread first = acquiring(budget, 50, large); // does not fit beside the 60
    BatchIOComponentTest.awaitParked(first);
    AtomicReference<Throwable> small = new AtomicReference<>();
    Thread second = acquiring(budget, 10, small); // would fit, but the large one is ahead
    BatchIOComponentTest.awaitParked(second);
    budget.release(1, 60);
    first.join();
    second.join();
    assertNull(large.get());
    assertNull(small.get());
    assertEquals(2, budget.blocks());
    assertEquals(60, budget.bytes());
  }

  @Test
  void aWaiterThatGivesUpLetsTheNextInLineIn() throws Exception {
    QueueBudget budget = new QueueBudget(10, 100);
    budget.acquire(60, 0);
    AtomicReference<Throwable> large = new AtomicReference<>();
    Thread first = acquiring(budget, 50, large);
    BatchIOComponentTest.awaitParked(first);
    AtomicReference<Throwable> small = new AtomicReference<>();
    Thread second = acquiring(budget, 10, small);
    BatchIOComponentTest.awaitParked(second);
    first.interrupt();
    first.join();
    second.join();
    assertInstanceOf(InterruptedException.class, large.get());
    assertNull(small.get());
    assertEquals(70, budget.bytes());
  }

  @Test
  void raisingTheLimitsLetsAWaiterIn() throws Exception {
    QueueBudget budget = new QueueBudget(1, 1000);
    budget.acquire(10, 0);
    assertThrows(MemoryPressureException.class, () -> budget.acquire(10, 0));
    AtomicReference<Throwable> waiting = new AtomicReference<>();
    Thread t = acquiring(budget, 10, waiting);
    BatchIOComponentTest.awaitParked(t);
    budget.limits(2, 1000); // a larger limit lets the waiter in at once
    t.join();
    assertNull(waiting.get());
    assertEquals(2, budget.blocks());
  }

  @Test
  void closingRefusesWaitersAndNewcomersButReleasesStillCount() throws Exception {
    QueueBudget budget = new QueueBudget(1, 1000);
    budget.acquire(10, 0);
    AtomicReference<Throwable> waiting = new AtomicReference<>();
    Thread t = acquiring(budget, 10, waiting);
    BatchIOComponentTest.awaitParked(t);
    budget.close();
    t.join();
    assertInstanceOf(BlockstoreException.class, waiting.get());
    assertThrows(BlockstoreException.class, () -> budget.acquire(1, 0));
    budget.release(1, 10);
    assertTrue(budget.awaitEmpty(0));
  }
}
