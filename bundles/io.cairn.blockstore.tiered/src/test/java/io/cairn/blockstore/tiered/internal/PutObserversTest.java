package io.cairn.blockstore.tiered.internal;

import static io.cairn.blockstore.tiered.internal.Fixture.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Put observers: every put told before it lands, none missed across registration, none told after close. */
class PutObserversTest {
  @TempDir
  Path dir;

  @Test
  void everyKindOfPutIsToldIncludingBlocksAlreadyStoredAndNoneAfterClose() {
    try (Fixture f = new Fixture(Map.of())) {
      f.fileTier("ssd", 100, dir, Map.of());
      Block a = block(1, 100);
      Block b = block(2, 100);
      Block c = block(3, 100);
      Block d = block(4, 100);
      f.store.put(a).join();
      List<Cid> seen = new CopyOnWriteArrayList<>();
      MultiTierBlockstore.Observation o = f.store.observePuts(seen::add);
      f.store.put(a).join(); // already stored: still told, since a collector may be about to remove it
      f.store.putMany(List.of(b)).join();
      f.store.putBatch(List.of(c)).join();
      f.store.putStream(d.cid(), new ByteArrayInputStream(d.data())).join();
      o.close();
      f.store.put(block(5, 100)).join();
      assertEquals(List.of(a.cid(), b.cid(), c.cid(), d.cid()), seen);
    }
  }

  @Test
  void theObserverIsToldBeforeTheBlockIsInTheStore() {
    try (Fixture f = new Fixture(Map.of())) {
      f.fileTier("ssd", 100, dir, Map.of());
      Block a = block(1, 100);
      List<Boolean> heldWhenTold = new CopyOnWriteArrayList<>();
      MultiTierBlockstore.Observation o = f.store.observePuts(cid -> heldWhenTold.add(f.store.has(cid).join()));
      f.store.put(a).join();
      o.close();
      assertEquals(List.of(false), heldWhenTold);
      assertTrue(f.store.has(a.cid()).join());
    }
  }

  @Test
  void anObserverThatThrowsFailsThePutAndNothingIsStored() {
    try (Fixture f = new Fixture(Map.of())) {
      f.memoryTier(BlockTier.MEMORY, 0, 1 << 20);
      Block a = block(1, 100);
      MultiTierBlockstore.Observation o = f.store.observePuts(cid -> {
        throw new IllegalStateException("refused");
      });
      CompletionException e = assertThrows(CompletionException.class, () -> f.store.put(a).join());
      assertInstanceOf(IllegalStateException.class, e.getCause());
      o.close();
      assertFalse(f.store.has(a.cid()).join());
      f.store.put(a).join();
      assertTrue(f.store.has(a.cid()).join());
    }
  }

  /**
   * A put that joined before the observer arrived and is still in flight holds up the registration: after
   * it returns, no put exists that neither told the observer nor completed.
   */
  @Test
  void registrationWaitsForThePutsThatBeganBeforeIt() {
    PutObservers observers = new PutObservers();
    Block a = block(1, 10);
    Block b = block(2, 10);
    PutObservers.Generation early = observers.join(List.of(a));
    List<Cid> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<MultiTierBlockstore.Observation> adding = CompletableFuture.supplyAsync(() -> observers.add(seen::add));
    while (observers.current() == early) {
      Thread.onSpinWait(); // until the new generation is installed; the registration then waits for `early`
    }
    PutObservers.Generation late = observers.join(List.of(b));
    assertNotSame(early, late);
    assertFalse(adding.isDone(), "registration returned while a put begun before it was in flight");
    early.leave();
    MultiTierBlockstore.Observation o = adding.join();
    late.leave();
    assertEquals(List.of(b.cid()), seen);
    o.close();
    o.close(); // twice is harmless
    PutObservers.Generation after = observers.join(List.of(a));
    after.leave();
    assertEquals(List.of(b.cid()), seen);
    assertSame(after, observers.current());
  }
}
