package io.cairn.bitswap.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.priority.internal.ClassPriority;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ledger under the classes strategy, on a driven clock. */
class PeerLedgerClassesTest {
  private static final long BUDGET = 1 << 20;
  private final AtomicLong now = new AtomicLong();
  private final List<String> promotions = new ArrayList<>();
  private final long[] queued = new long[WantClass.values().length];
  private final PeerLedger ledger = new PeerLedger(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()),
      new PeerLedger.WaitingIndex() {
        @Override
        public void waiting(Cid cid, PeerLedger l) {}

        @Override
        public void notWaiting(Cid cid, PeerLedger l) {}

        @Override
        public void queued(WantClass c, int delta) {
          queued[c.ordinal()] += delta;
        }

        @Override
        public void promoted(WantClass from, WantClass to) {
          promotions.add(from + ">" + to);
        }
      },
      Components.createWith(ClassPriority.class, ClassPriority.class.getName(), Map.of(), Components.logger()), now::get);

  private static Cid cid(int i) {
    return Block.raw(("block " + i).getBytes()).cid();
  }

  private List<Cid> cids(List<WantTask> tasks) {
    return tasks.stream().map(t -> t.cid).toList();
  }

  @Test
  void wantHavesGoBeforeWantBlocksWhateverTheirPriority() {
    ledger.applyWants(List.of(WantlistEntry.wantBlock(cid(1), 100, true), WantlistEntry.wantHave(cid(2), 1, true)),
        false, 1024, 0, 0);
    assertEquals(List.of(cid(2), cid(1)), cids(ledger.take(10, BUDGET, false).tasks()));
  }

  @Test
  void aWantQueuedPastItsTargetIsPromotedOnceEachTargetUnlessItCanBeShed() {
    ledger.applyWants(List.of(WantlistEntry.wantBlock(cid(1), 1, false), WantlistEntry.wantBlock(cid(3), 1, true)),
        false, 1024, 0, 0);
    assertEquals(2, queued[WantClass.NORMAL.ordinal()]);
    now.set(TimeUnit.MILLISECONDS.toNanos(1001));
    ledger.applyWants(List.of(WantlistEntry.wantHave(cid(2), 1, true)), false, 1024, 0, 0);
    assertEquals(PeerLedger.Schedule.READY, ledger.trySchedule(BUDGET, false));
    // The want-block that asked for DONT_HAVE stays normal: over capacity it would be shed, not promoted.
    assertEquals(List.of("NORMAL>HIGH"), promotions);
    assertEquals(2, queued[WantClass.HIGH.ordinal()]);
    assertEquals(1, queued[WantClass.NORMAL.ordinal()]);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(51));
    // Both now past high's 50 ms: both critical, the older first; then the normal one.
    assertEquals(List.of(cid(1), cid(2), cid(3)), cids(ledger.take(10, BUDGET, false).tasks()));
    assertEquals(List.of("NORMAL>HIGH", "HIGH>CRITICAL", "HIGH>CRITICAL"), promotions);
    assertEquals(0, queued[0] + queued[1] + queued[2]);
  }

  @Test
  void sheddingTakesBetterClassesShedsLowestWantsThatAskedForDontHaveAndDefersTheRest() {
    ledger.applyWants(List.of(WantlistEntry.wantBlock(cid(1), 1, true), WantlistEntry.wantBlock(cid(2), 1, false),
        WantlistEntry.wantHave(cid(3), 1, true)), false, 1024, 0, 0);
    PeerLedger.Turn turn = ledger.take(10, BUDGET, true);
    assertEquals(List.of(cid(3)), cids(turn.tasks()));
    assertEquals(List.of(cid(1)), cids(turn.shed()));
    assertEquals(1, ledger.queuedCount(), "the want that did not ask for DONT_HAVE waits");
    ledger.unschedule();
    assertEquals(PeerLedger.Schedule.DEFERRED, ledger.trySchedule(BUDGET, true));
    assertEquals(PeerLedger.Schedule.READY, ledger.trySchedule(BUDGET, false));
    assertEquals(List.of(cid(2)), cids(ledger.take(10, BUDGET, false).tasks()));
    assertTrue(ledger.wantlist().stream().noneMatch(w -> w.cid().equals(cid(1))), "a shed want leaves the wantlist");
  }
}
