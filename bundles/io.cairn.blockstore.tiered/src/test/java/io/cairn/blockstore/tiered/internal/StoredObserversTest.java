package io.cairn.blockstore.tiered.internal;

import static io.cairn.blockstore.tiered.internal.Fixture.block;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored observers: told each put's CIDs once the put succeeded (readable by then), never a failed put's. */
class StoredObserversTest {
  @TempDir
  Path dir;

  @Test
  void everyKindOfPutIsToldOnceStoredAndNoneAfterClose() {
    try (Fixture f = new Fixture(Map.of())) {
      f.fileTier("ssd", 100, dir, Map.of());
      Block a = block(1, 100);
      Block b = block(2, 100);
      Block c = block(3, 100);
      Block d = block(4, 100);
      f.store.put(a).join();
      List<Cid> seen = new CopyOnWriteArrayList<>();
      List<Boolean> readableWhenTold = new CopyOnWriteArrayList<>();
      MultiTierBlockstore.Observation o = f.store.observeStored(cid -> {
        seen.add(cid);
        readableWhenTold.add(f.store.getWithTier(cid, "ssd").handle((blk, e) -> e == null).join());
      });
      f.store.put(a).join(); // already stored: told too (a peer may wait for it)
      f.store.putMany(List.of(b)).join();
      f.store.putBatch(List.of(c)).join();
      f.store.putStream(d.cid(), new ByteArrayInputStream(d.data())).join();
      Block identity = new Block(Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.IDENTITY, new byte[] {1, 2})),
          new byte[] {1, 2});
      f.store.put(identity).join(); // never stored, never told
      o.close();
      f.store.put(block(5, 100)).join();
      assertEquals(List.of(a.cid(), b.cid(), c.cid(), d.cid()), seen);
      assertEquals(List.of(true, true, true, true), readableWhenTold);
    }
  }

  @Test
  void aFailedPutIsNotToldAndAnObserverThatThrowsDoesNotFailThePut() {
    try (Fixture f = new Fixture(Map.of())) {
      f.memoryTier(BlockTier.MEMORY, 0, 1 << 20);
      List<Cid> seen = new CopyOnWriteArrayList<>();
      MultiTierBlockstore.Observation refused = f.store.observePuts(cid -> {
        throw new IllegalStateException("refused");
      });
      MultiTierBlockstore.Observation throwing = f.store.observeStored(cid -> {
        throw new IllegalStateException("observer bug");
      });
      MultiTierBlockstore.Observation o = f.store.observeStored(seen::add);
      Block a = block(1, 100);
      assertThrows(CompletionException.class, () -> f.store.put(a).join());
      assertEquals(List.of(), seen);
      refused.close();
      f.store.put(a).join();
      assertTrue(f.store.has(a.cid()).join());
      assertEquals(List.of(a.cid()), seen);
      throwing.close();
      o.close();
    }
  }
}
