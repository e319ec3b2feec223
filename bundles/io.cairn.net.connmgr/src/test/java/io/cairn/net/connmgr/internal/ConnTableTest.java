package io.cairn.net.connmgr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.net.TagInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnTableTest {
  private static final long SECOND = 1_000_000_000L;
  private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");

  private final ConnTable<String> table = new ConnTable<>();

  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  private static ConnTable.Conn conn(boolean inbound) {
    return new ConnTable.Conn(inbound, T0, "/ip4/127.0.0.1/tcp/1");
  }

  @Test
  void connectionsAreCountedOnceAndTheEntryGoesWithTheLast() {
    PeerId a = peer();
    assertTrue(table.connected(a, "c1", conn(true), 0, T0));
    assertFalse(table.connected(a, "c1", conn(true), 0, T0), "the same connection twice is one");
    assertTrue(table.connected(a, "c2", conn(false), 0, T0));
    assertEquals(2, table.connections());
    assertEquals(1, table.inbound());
    table.upsert(a, "bitswap", v -> v + 10, 0, T0);
    table.disconnected(a, "c1");
    assertEquals(10, table.tagInfo(a).orElseThrow().value(), "still connected: tags kept");
    table.disconnected(a, "c2");
    table.disconnected(a, "c2");
    assertEquals(0, table.connections());
    assertEquals(0, table.inbound());
    assertTrue(table.tagInfo(a).isEmpty(), "gone with its last connection, tags and all (go-libp2p)");
  }

  @Test
  void tagsSumIntoTheValueAndEarlyTagsWaitForTheConnection() {
    PeerId a = peer();
    table.upsert(a, "x", v -> 5, 0, T0);
    table.upsert(a, "y", v -> 7, 0, T0);
    table.upsert(a, "x", v -> v * 2, 0, T0);
    assertEquals(17, table.tagInfo(a).orElseThrow().value());
    table.untag(a, "y");
    assertEquals(10, table.tagInfo(a).orElseThrow().value());
    // Tagged before connecting: a temporary entry, not a candidate; the grace period counts from the connection.
    assertTrue(table.candidates(-SECOND).isEmpty(), "in its grace period: kept, not a candidate");
    table.connected(a, "c1", conn(false), 50 * SECOND, T0.plusSeconds(50));
    TagInfo info = table.tagInfo(a).orElseThrow();
    assertEquals(10, info.value());
    assertEquals(T0.plusSeconds(50), info.firstSeen());
    assertEquals(Map.of("/ip4/127.0.0.1/tcp/1", T0), info.connections());
    assertTrue(table.candidates(49 * SECOND).isEmpty(), "in its grace period");
    assertEquals(1, table.candidates(50 * SECOND).size());
  }

  @Test
  void aTemporaryEntryPastItsGraceIsDroppedByATrim() {
    PeerId a = peer();
    table.upsert(a, "x", v -> 5, 0, T0);
    assertTrue(table.candidates(SECOND).isEmpty());
    assertTrue(table.tagInfo(a).isEmpty(), "never connected within its grace: dropped");
  }

  @Test
  void protectedPeersAreNeverCandidatesWhileAnyTagProtectsThem() {
    PeerId a = peer();
    PeerId b = peer();
    table.connected(a, "a1", conn(true), 0, T0);
    table.connected(b, "b1", conn(true), 0, T0);
    table.protect(a, "peering");
    table.protect(a, "cluster");
    assertTrue(table.isProtected(a, null));
    assertTrue(table.isProtected(a, "peering"));
    assertFalse(table.isProtected(a, "other"));
    assertFalse(table.isProtected(b, null));
    assertEquals(List.of(b), table.candidates(SECOND).stream().map(ConnTable.Candidate::peer).toList());
    assertTrue(table.unprotect(a, "peering"), "still protected by cluster");
    assertFalse(table.unprotect(a, "cluster"));
    assertFalse(table.isProtected(a, null));
    assertEquals(2, table.candidates(SECOND).size());
    assertEquals(0, table.protectedPeers());
  }
}
