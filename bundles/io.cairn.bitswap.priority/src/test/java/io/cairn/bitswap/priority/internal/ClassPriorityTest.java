package io.cairn.bitswap.priority.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.spi.PeerRank;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.bitswap.spi.WantRequest;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClassPriorityTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final PeerId a = peer();
  private final PeerId b = peer();

  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  private static ClassPriority priority(Map<String, Object> values, long salt) {
    return new ClassPriority(Components.logger(), (ClassPriorityConfig) Components.config(ClassPriorityConfig.class, values), salt);
  }

  private WantRequest want(PeerId peer, WantType type, int priority) {
    return new WantRequest(peer, Block.raw("x".getBytes()).cid(), type, priority, true, false);
  }

  @Test
  void wantHaveIsHighWantBlockNormalAndCriticalPeersAndLocalFetchesCritical() {
    ClassPriority p = priority(Map.of("criticalPeers", new String[] {b.toString()}), 1);
    assertEquals(WantClass.HIGH, p.classify(want(a, WantType.HAVE, 1)));
    assertEquals(WantClass.NORMAL, p.classify(want(a, WantType.BLOCK, 1)));
    assertEquals(WantClass.CRITICAL, p.classify(want(b, WantType.BLOCK, 1)));
    assertEquals(WantClass.CRITICAL, p.classify(new WantRequest(a, Block.raw("y".getBytes()).cid(), WantType.BLOCK, 1, false, true)));
  }

  @Test
  void withinAClassThePeersPriorityGoesFirst() {
    ClassPriority p = priority(Map.of(), 1);
    assertTrue(p.order(want(a, WantType.BLOCK, 9)) < p.order(want(a, WantType.BLOCK, 1)));
  }

  @Test
  void aWantThatWaitedPastItsClassTargetMovesUpOneClass() {
    ClassPriority p = priority(Map.of(), 1);
    assertEquals(WantClass.HIGH, p.promote(WantClass.HIGH, 50 * MS));
    assertEquals(WantClass.CRITICAL, p.promote(WantClass.HIGH, 51 * MS));
    assertEquals(WantClass.NORMAL, p.promote(WantClass.NORMAL, 1000 * MS));
    assertEquals(WantClass.HIGH, p.promote(WantClass.NORMAL, 1001 * MS));
    assertEquals(WantClass.CRITICAL, p.promote(WantClass.CRITICAL, 10_000 * MS));
    assertEquals(WantClass.NORMAL, priority(Map.of("normalPromotionMillis", 0), 1).promote(WantClass.NORMAL, 3_600_000 * MS),
        "0: normal wants are never promoted");
  }

  @Test
  void neverServedAndStarvedPeersGoFirstThenByBestClass() {
    ClassPriority p = priority(Map.of(), 1);
    PeerRank fresh = p.rank(new PeerTurn(a, true, 0, WantClass.NORMAL, 1));
    PeerRank starved = p.rank(new PeerTurn(a, false, 10_000 * MS, WantClass.NORMAL, 1));
    PeerRank critical = p.rank(new PeerTurn(b, false, 0, WantClass.CRITICAL, 1000));
    PeerRank high = p.rank(new PeerTurn(b, false, 0, WantClass.HIGH, 1000));
    PeerRank busy = p.rank(new PeerTurn(b, false, 9_999 * MS, WantClass.NORMAL, 1000));
    assertTrue(fresh.compareTo(critical) < 0);
    assertTrue(starved.compareTo(critical) < 0);
    assertTrue(critical.compareTo(high) < 0);
    assertTrue(high.compareTo(busy) < 0);
    assertEquals(0, busy.compareTo(p.rank(new PeerTurn(a, false, 0, WantClass.NORMAL, 1))),
        "equal peers that are not starved tie: the engine serves them first come, first served");
  }

  @Test
  void starvedPeersTieBreakOnAHashSaltedPerProcess() {
    ClassPriority one = priority(Map.of(), 1);
    ClassPriority same = priority(Map.of(), 1);
    assertEquals(one.saltedHash(a), same.saltedHash(a));
    assertNotEquals(one.saltedHash(a), one.saltedHash(b));
    // Another salt orders some pair of peers differently: no id wins everywhere.
    ClassPriority other = priority(Map.of(), 2);
    boolean reordered = false;
    for (int i = 0; i < 64 && !reordered; i++) {
      PeerId x = peer();
      PeerId y = peer();
      reordered = Long.compare(one.saltedHash(x), one.saltedHash(y)) != Long.compare(other.saltedHash(x), other.saltedHash(y));
    }
    assertTrue(reordered);
  }

  @Test
  void anInvalidCriticalPeerIsRefusedNamingTheKey() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ClassPriority.of(
        (ClassPriorityConfig) Components.config(ClassPriorityConfig.class, Map.of("criticalPeers", new String[] {"not-a-peer"}))));
    assertEquals("criticalPeers", e.key());
    assertThrows(InvalidConfigException.class, () -> ClassPriority.of(
        (ClassPriorityConfig) Components.config(ClassPriorityConfig.class, Map.of("starvationMillis", 0))));
  }
}
