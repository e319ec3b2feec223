package io.cairn.bitswap.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerLedgerTest {
  private static final long BUDGET = 1 << 20;
  private final Map<Cid, Set<PeerLedger>> waiting = new HashMap<>();
  private final PeerLedger ledger = new PeerLedger(PeerId.fromPublicKey(Keys.generateEd25519().publicKey()),
      new PeerLedger.WaitingIndex() {
        @Override
        public void waiting(Cid cid, PeerLedger l) {
          waiting.computeIfAbsent(cid, c -> new HashSet<>()).add(l);
        }

        @Override
        public void notWaiting(Cid cid, PeerLedger l) {
          waiting.computeIfPresent(cid, (c, s) -> {
            s.remove(l);
            return s.isEmpty() ? null : s;
          });
        }
      });

  private static Cid cid(int i) {
    return Block.raw(("block " + i).getBytes()).cid();
  }

  private static WantlistEntry block(int i, int priority) {
    return WantlistEntry.wantBlock(cid(i), priority, true);
  }

  private List<Cid> take(int max) {
    return ledger.take(max, BUDGET, false).tasks().stream().map(t -> t.cid).toList();
  }

  @Test
  void servesHighestPriorityFirstAndEqualPrioritiesInArrivalOrder() {
    ledger.applyWants(List.of(block(1, 1), block(2, 5), block(3, 5), block(4, 9)), false, 1024, 0, 0);
    assertEquals(List.of(cid(4), cid(2), cid(3), cid(1)), take(10));
  }

  @Test
  void theWantlistNeverGrowsPastItsCap() {
    List<WantlistEntry> flood = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      flood.add(block(i, 1));
    }
    int dropped = ledger.applyWants(flood, false, 1024, 0, 0);
    assertEquals(1024, ledger.wantlist().size());
    assertEquals(100_000 - 1024, dropped);
  }

  @Test
  void overflowEvictsWantsWeLackTheBlockForThenLowerPriorities() {
    ledger.applyWants(List.of(block(1, 5), block(2, 5)), false, 2, 0, 0);
    List<WantTask> taken = ledger.take(1, BUDGET, false).tasks();
    ledger.notFound(taken.get(0));
    assertTrue(waiting.containsKey(cid(1)));
    // At the cap: the want waiting for a block we lack goes first.
    ledger.applyWants(List.of(block(3, 1)), false, 2, 0, 0);
    assertEquals(Set.of(cid(2), cid(3)), cids(ledger.wantlist()));
    assertFalse(waiting.containsKey(cid(1)));
    // Then a lower-priority queued want gives way to a higher one, but not to an equal or lower one.
    ledger.applyWants(List.of(block(4, 9)), false, 2, 0, 0);
    assertEquals(Set.of(cid(2), cid(4)), cids(ledger.wantlist()));
    ledger.applyWants(List.of(block(5, 5)), false, 2, 0, 0);
    assertEquals(Set.of(cid(2), cid(4)), cids(ledger.wantlist()));
  }

  @Test
  void cancelRemovesTheWantWhereverItIs() {
    ledger.applyWants(List.of(block(1, 1), block(2, 1)), false, 1024, 0, 0);
    List<WantTask> inHand = ledger.take(1, BUDGET, false).tasks();
    ledger.applyWants(List.of(WantlistEntry.cancel(cid(1)), WantlistEntry.cancel(cid(2))), false, 1024, 0, 0);
    assertTrue(ledger.wantlist().isEmpty());
    assertFalse(ledger.stillWanted(inHand.get(0)), "a worker must not send what was cancelled meanwhile");
    assertTrue(take(10).isEmpty());
  }

  @Test
  void aFullWantlistReplacesThePreviousOne() {
    ledger.applyWants(List.of(block(1, 1), block(2, 1)), false, 1024, 0, 0);
    ledger.applyWants(List.of(block(2, 1), block(3, 1)), true, 1024, 0, 0);
    assertEquals(Set.of(cid(2), cid(3)), cids(ledger.wantlist()));
  }

  @Test
  void identityCidsAreIgnored() {
    Cid identity = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY.code(), "inline".getBytes()));
    ledger.applyWants(List.of(WantlistEntry.wantBlock(identity, 1, true)), false, 1024, 0, 0);
    assertTrue(ledger.wantlist().isEmpty());
  }

  @Test
  void aWantHaveNeverDowngradesAWantBlock() {
    ledger.applyWants(List.of(block(1, 1)), false, 1024, 0, 0);
    ledger.applyWants(List.of(WantlistEntry.wantHave(cid(1), 3, false)), false, 1024, 0, 0);
    Want want = ledger.wantlist().get(0);
    assertEquals(WantType.BLOCK, want.type());
    assertEquals(3, want.priority());
  }

  @Test
  void aWantWaitingForABlockIsQueuedAgainWhenItArrives() {
    ledger.applyWants(List.of(block(1, 1)), false, 1024, 0, 0);
    ledger.notFound(ledger.take(1, BUDGET, false).tasks().get(0));
    assertTrue(take(1).isEmpty());
    ledger.blockArrived(cid(1));
    assertEquals(List.of(cid(1)), take(1));
    assertFalse(waiting.containsKey(cid(1)));
  }

  @Test
  void aRepeatedWantInAWorkersHandsIsQueuedAgainAfterIt() {
    ledger.applyWants(List.of(block(1, 1)), false, 1024, 0, 0);
    WantTask t = ledger.take(1, BUDGET, false).tasks().get(0);
    ledger.applyWants(List.of(block(1, 1)), false, 1024, 0, 0);
    ledger.answered(t);
    assertEquals(List.of(cid(1)), take(1));
  }

  @Test
  void nothingIsTakenWhileThePeerHasItsBudgetInFlight() {
    ledger.applyWants(List.of(block(1, 1)), false, 1024, 0, 0);
    ledger.reserve(BUDGET);
    assertEquals(PeerLedger.Schedule.NONE, ledger.trySchedule(BUDGET, false));
    assertTrue(take(1).isEmpty());
    ledger.sent(BUDGET, 0, 0, true);
    assertEquals(PeerLedger.Schedule.READY, ledger.trySchedule(BUDGET, false));
    assertEquals(PeerLedger.Schedule.NONE, ledger.trySchedule(BUDGET, false), "a scheduled ledger is not scheduled twice");
    assertEquals(List.of(cid(1)), take(1));
  }

  @Test
  void closingForgetsEverythingIncludingTheWaitingIndex() {
    ledger.applyWants(List.of(block(1, 1), block(2, 1)), false, 1024, 0, 0);
    ledger.notFound(ledger.take(1, BUDGET, false).tasks().get(0));
    ledger.close();
    assertTrue(waiting.isEmpty());
    assertTrue(ledger.wantlist().isEmpty());
    assertTrue(take(1).isEmpty());
  }

  private static Set<Cid> cids(List<Want> wants) {
    Set<Cid> cids = new HashSet<>();
    wants.forEach(w -> cids.add(w.cid()));
    return cids;
  }
}
