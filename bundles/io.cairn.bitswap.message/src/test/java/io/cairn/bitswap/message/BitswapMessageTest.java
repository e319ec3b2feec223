package io.cairn.bitswap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BitswapMessageTest {
  private static final Cid A = TestMessages.raw("a");

  @Test
  void listsAreImmutableCopies() {
    List<WantlistEntry> entries = new ArrayList<>(List.of(WantlistEntry.wantBlock(A, 1, true)));
    BitswapMessage message = BitswapMessage.wants(entries);
    entries.clear();
    assertEquals(1, message.wantlist().size());
    assertThrows(UnsupportedOperationException.class, () -> message.wantlist().clear());
    List<BlockPresence> immutable = List.of(new BlockPresence(A, PresenceType.HAVE));
    assertSame(immutable, BitswapMessage.presences(immutable).presences(), "an immutable list is kept, not copied");
  }

  @Test
  void nullsAreRefused() {
    assertThrows(NullPointerException.class, () -> BitswapMessage.wants(Arrays.asList((WantlistEntry) null)));
    assertThrows(NullPointerException.class, () -> new BitswapMessage(null, false, List.of(), List.of(), 0));
    assertThrows(NullPointerException.class, () -> new WantlistEntry(null, 0, false, WantType.BLOCK, false));
    assertThrows(NullPointerException.class, () -> new WantlistEntry(A, 0, false, null, false));
    assertThrows(NullPointerException.class, () -> new BlockPresence(A, null));
    assertThrows(NullPointerException.class, () -> new BlockPayload(CidPrefix.V0, null));
  }

  @Test
  void emptyMeansNothingToSend() {
    assertTrue(BitswapMessage.EMPTY.isEmpty());
    assertTrue(BitswapMessage.wants(List.of()).isEmpty());
    assertFalse(BitswapMessage.fullWantlist(List.of()).isEmpty(), "an empty full wantlist clears the peer's view");
    assertFalse(new BitswapMessage(List.of(), false, List.of(), List.of(), 1).isEmpty());
    assertFalse(BitswapMessage.presences(List.of(new BlockPresence(A, PresenceType.DONT_HAVE))).isEmpty());
    assertFalse(BitswapMessage.blocks(List.of(new BlockPayload(CidPrefix.V0, new byte[0]))).isEmpty());
  }

  @Test
  void entryFactories() {
    assertEquals(new WantlistEntry(A, 7, false, WantType.BLOCK, true), WantlistEntry.wantBlock(A, 7, true));
    assertEquals(new WantlistEntry(A, 7, false, WantType.HAVE, false), WantlistEntry.wantHave(A, 7, false));
    assertEquals(new WantlistEntry(A, 0, true, WantType.BLOCK, false), WantlistEntry.cancel(A));
  }

  @Test
  void limitsAreValidated() {
    assertEquals(new MessageLimits(4 << 20, 10_000, 1_000, 10_000, 168), MessageLimits.DEFAULT);
    new MessageLimits(MessageLimits.MAX_MESSAGE_BYTES, 1, 1, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> new MessageLimits(MessageLimits.MAX_MESSAGE_BYTES + 1, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new MessageLimits(0, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new MessageLimits(1, 0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new MessageLimits(1, 1, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new MessageLimits(1, 1, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new MessageLimits(1, 1, 1, 1, -1));
  }
}
