package io.cairn.bitswap.message;

import static io.cairn.bitswap.message.TestMessages.buffer;
import static io.cairn.bitswap.message.TestMessages.bytes;
import static io.cairn.bitswap.message.TestMessages.hex;
import static io.cairn.bitswap.message.TestMessages.raw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Cid;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class BitswapCodecTest {
  private static final Cid A = raw("a");
  private static final Cid B = raw("b");
  /** A and B are 36 bytes: 01 55 12 20 and the digest. */
  private static final String A_FIELD = "0a24" + hex(A);
  private static final String B_FIELD = "0a24" + hex(B);

  private static String encodeHex(BitswapMessage message, BitswapProtocol protocol) {
    return hex(TestMessages.encode(message, protocol));
  }

  private static BitswapMessage decodeHex(String hex) {
    return TestMessages.decode(buffer(hex));
  }

  private static BitswapMessage decodeHex(String hex, MessageLimits limits) {
    ByteBuf body = buffer(hex);
    try {
      return BitswapCodec.decode(body, limits);
    } finally {
      body.release();
    }
  }

  private static MalformedMessageException assertMalformed(String hex, String reason) {
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> decodeHex(hex));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    return e;
  }

  // ---- the wire form, field by field (boxo's message.proto numbers) ----

  @Test
  void writesWantlistEntriesWithEveryField() {
    BitswapMessage message = new BitswapMessage(
        List.of(new WantlistEntry(A, 1, false, WantType.HAVE, true), WantlistEntry.cancel(B)), true, List.of(), List.of(), 0);
    // Entry A: block(1) priority(2)=1 wantType(4)=Have sendDontHave(5); entry B: block, cancel(3); full(2).
    String entryA = "0a2c" + A_FIELD + "1001" + "2001" + "2801";
    String entryB = "0a28" + B_FIELD + "1801";
    String wantlist = "0a5a" + entryA + entryB + "1001";
    assertEquals("5c" + wantlist, encodeHex(message, BitswapProtocol.V1_2_0));
    assertEquals(message, decodeHex(wantlist));
  }

  @Test
  void writesPayloadBlocksWithTheirPrefix() {
    BitswapMessage message = BitswapMessage.blocks(List.of(BlockPayload.of(raw("hello"), bytes("hello"))));
    // payload(3) { prefix(1) = 01 55 12 20, data(2) = "hello" }
    String body = "1a0d" + "0a0401551220" + "120568656c6c6f";
    assertEquals("0f" + body, encodeHex(message, BitswapProtocol.V1_2_0));
    assertEquals(message, decodeHex(body));
  }

  @Test
  void writesPresencesAndPendingBytes() {
    BitswapMessage message = new BitswapMessage(List.of(), false, List.of(),
        List.of(new BlockPresence(A, PresenceType.HAVE), new BlockPresence(B, PresenceType.DONT_HAVE)), 300);
    // blockPresences(4) { cid(1), type(2) = DontHave only when not the default }, pendingBytes(5) = 300.
    String body = "2226" + A_FIELD + "2228" + B_FIELD + "1001" + "28ac02";
    assertEquals("55" + body, encodeHex(message, BitswapProtocol.V1_2_0));
    assertEquals(message, decodeHex(body));
  }

  @Test
  void writesVersion100BlocksAsBareData() {
    byte[] data = bytes("dag-pb node");
    BitswapMessage message = BitswapMessage.blocks(List.of(BlockPayload.of(TestMessages.v0(data), data)));
    String body = "120b" + hex(data);
    assertEquals("0d" + body, encodeHex(message, BitswapProtocol.V1_0_0));
    BitswapMessage decoded = decodeHex(body);
    assertEquals(message, decoded);
    assertEquals(TestMessages.v0(data), decoded.blocks().get(0).cid());
  }

  @Test
  void negativeInt32sTakeTenBytesAsInProtobuf() {
    BitswapMessage message = new BitswapMessage(List.of(WantlistEntry.wantBlock(A, -1, false)), false, List.of(), List.of(),
        Integer.MIN_VALUE);
    String minusOne = "ffffffffffffffffff01";
    String body = "0a33" + "0a31" + A_FIELD + "10" + minusOne + "28" + "80808080f8ffffffff01";
    ByteBuf encoded = TestMessages.body(message, BitswapProtocol.V1_2_0);
    assertEquals(body, ByteBufUtil.hexDump(encoded));
    encoded.release();
    assertEquals(message, decodeHex(body));
  }

  @Test
  void anEmptyMessageIsAZeroLengthBody() {
    assertEquals("00", encodeHex(BitswapMessage.EMPTY, BitswapProtocol.V1_2_0));
    assertEquals(BitswapMessage.EMPTY, decodeHex(""));
    assertTrue(decodeHex("").isEmpty());
  }

  @ParameterizedTest
  @EnumSource(BitswapProtocol.class)
  void anEmptyFullWantlistIsStillSent(BitswapProtocol protocol) {
    // "forget everything I wanted": the wantlist field with full=true and no entries.
    assertEquals("040a021001", encodeHex(BitswapMessage.fullWantlist(List.of()), protocol));
  }

  // ---- what each version carries ----

  @Test
  void version110DropsWhatOnly120Has() {
    BitswapMessage message = new BitswapMessage(
        List.of(WantlistEntry.wantHave(A, 5, true), WantlistEntry.wantBlock(B, 4, true)), false,
        List.of(BlockPayload.of(raw("x"), bytes("x"))), List.of(new BlockPresence(A, PresenceType.DONT_HAVE)), 77);
    BitswapMessage expected = new BitswapMessage(List.of(WantlistEntry.wantBlock(B, 4, false)), false,
        List.of(BlockPayload.of(raw("x"), bytes("x"))), List.of(), 0);
    assertEquals(expected, TestMessages.decode(TestMessages.body(message, BitswapProtocol.V1_1_0)));
  }

  @Test
  void version100SendsOnlyCidV0Blocks() {
    byte[] pb = bytes("pb");
    BlockPayload v0 = BlockPayload.of(TestMessages.v0(pb), pb);
    BitswapMessage message = BitswapMessage.blocks(List.of(BlockPayload.of(raw("x"), bytes("x")), v0));
    assertEquals(BitswapMessage.blocks(List.of(v0)), TestMessages.decode(TestMessages.body(message, BitswapProtocol.V1_0_0)));
    assertEquals("00", encodeHex(BitswapMessage.blocks(List.of(BlockPayload.of(raw("x"), bytes("x")))), BitswapProtocol.V1_0_0));
  }

  @ParameterizedTest
  @EnumSource(BitswapProtocol.class)
  void randomMessagesRoundTripAsTheirVersionCarriesThem(BitswapProtocol protocol) {
    Random random = new Random(protocol.ordinal() + 17);
    for (int i = 0; i < 300; i++) {
      BitswapMessage message = TestMessages.random(random);
      ByteBuf body = TestMessages.body(message, protocol);
      assertEquals(BitswapCodec.encodedSize(message, protocol), body.readableBytes());
      BitswapMessage decoded = TestMessages.decode(body);
      assertEquals(TestMessages.asCarriedBy(message, protocol), decoded);
    }
  }

  @Test
  void encodeWritesExactlyTheComputedSizeAfterWhatIsInTheBuffer() {
    BitswapMessage message = TestMessages.random(new Random(5));
    int size = BitswapCodec.encodedSize(message, BitswapProtocol.V1_2_0);
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer(3).writeBytes(new byte[] {7, 7, 7});
    try {
      BitswapCodec.encode(message, BitswapProtocol.V1_2_0, out);
      assertEquals(3 + Wire.varintSize(size) + size, out.readableBytes());
      out.skipBytes(3);
      assertEquals(size, TestMessages.readVarint(out));
      assertEquals(message, BitswapCodec.decode(out, MessageLimits.DEFAULT));
    } finally {
      out.release();
    }
  }

  @Test
  void refusesToEncodeAMessageNoReceiverAccepts() {
    byte[] mebibyte = new byte[1 << 20];
    BlockPayload block = BlockPayload.of(raw(mebibyte), mebibyte);
    BitswapMessage message = BitswapMessage.blocks(Collections.nCopies(64, block));
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer(0);
    try {
      MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
          () -> BitswapCodec.encode(message, BitswapProtocol.V1_2_0, out));
      assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
      assertEquals(0, out.writerIndex(), "nothing written");
    } finally {
      out.release();
    }
  }

  // ---- decoding: proto3 rules ----

  @Test
  void decodeReadsTheWholeBodyAndLeavesItUnreleased() {
    ByteBuf body = TestMessages.body(BitswapMessage.wants(List.of(WantlistEntry.wantBlock(A, 1, false))), BitswapProtocol.V1_2_0);
    BitswapCodec.decode(body, MessageLimits.DEFAULT);
    assertEquals(0, body.readableBytes());
    assertEquals(1, body.refCnt());
    body.release();
  }

  @Test
  void skipsUnknownFieldsOfEveryWireTypeAtEveryLevel() {
    // Fields 6 and 7 of the message: varint, 64-bit, length-delimited, 32-bit.
    String unknown = "3001" + "39" + "0102030405060708" + "3a03616263" + "3d01020304";
    String entry = "0a32" + A_FIELD + "1002" + "4801" + "5a0100" + "3d01020304";
    String wantlist = "0a38" + "3001" + entry + "7805";
    String payload = "1a0f" + "0a0401551220" + "3001" + "120568656c6c6f";
    String presence = "2233" + B_FIELD + "1001" + "4001" + "39" + "0102030405060708";
    BitswapMessage decoded = decodeHex(unknown + wantlist + payload + presence + unknown);
    assertEquals(new BitswapMessage(List.of(WantlistEntry.wantBlock(A, 2, false)), false,
        List.of(BlockPayload.of(raw("hello"), bytes("hello"))), List.of(new BlockPresence(B, PresenceType.DONT_HAVE)), 0),
        decoded);
  }

  @Test
  void unknownWantTypeMeansBlockAndUnknownPresenceTypeDropsThePresence() {
    BitswapMessage decoded = decodeHex("0a2a" + "0a28" + A_FIELD + "2005" + "2228" + B_FIELD + "1002" + "2226" + A_FIELD);
    assertEquals(new BitswapMessage(List.of(WantlistEntry.wantBlock(A, 0, false)), false, List.of(),
        List.of(new BlockPresence(A, PresenceType.HAVE)), 0), decoded);
  }

  @Test
  void repeatedWantlistsMergeAndTheLastValueOfAFieldWins() {
    // Two wantlist fields: the entries add up; full is set by the first and not cleared by the second.
    // The entry's priority appears twice: the last counts.
    BitswapMessage decoded = decodeHex("0a2e" + "0a2a" + A_FIELD + "1001" + "1005" + "1001" + "0a28" + "0a26" + B_FIELD);
    assertEquals(BitswapMessage.fullWantlist(List.of(WantlistEntry.wantBlock(A, 5, false), WantlistEntry.wantBlock(B, 0, false))),
        decoded);
  }

  @Test
  void aPayloadWithoutDataIsAnEmptyBlock() {
    BitswapMessage decoded = decodeHex("1a06" + "0a0401551220");
    BlockPayload block = decoded.blocks().get(0);
    assertEquals(0, block.data().length);
    assertEquals(raw(new byte[0]), block.cid());
  }

  @Test
  void version100AndPayloadBlocksMayArriveTogether() {
    BitswapMessage decoded = decodeHex("12026869" + "1a0d" + "0a0401551220" + "120568656c6c6f");
    assertEquals(List.of(new BlockPayload(CidPrefix.V0, bytes("hi")), new BlockPayload(CidPrefix.of(raw("hello")), bytes("hello"))),
        decoded.blocks());
  }

  @Test
  void cidsOverTheLimitDropTheirEntryOrPresenceOnly() {
    Cid long68 = TestMessages.rawSha512(bytes("x"));
    String longField = "0a44" + hex(long68);
    MessageLimits limits = new MessageLimits(1 << 20, 10, 10, 10, 36);
    BitswapMessage decoded = decodeHex("0a" + "72" + "0a46" + longField + "0a28" + A_FIELD + "1003"
        + "2246" + longField + "2226" + B_FIELD, limits);
    assertEquals(new BitswapMessage(List.of(WantlistEntry.wantBlock(A, 3, false)), false, List.of(),
        List.of(new BlockPresence(B, PresenceType.HAVE)), 0), decoded);
    // Not even parsed: an oversize field of garbage is dropped the same way.
    assertEquals(BitswapMessage.EMPTY, decodeHex("0a" + "27" + "0a25" + "0a23" + "ff".repeat(35), new MessageLimits(1 << 20, 10, 10, 10, 34)));
  }

  @Test
  void limitsAreMetExactlyAndExceededByOne() {
    MessageLimits limits = new MessageLimits(1 << 20, 2, 2, 2, 168);
    String entry = "0a26" + A_FIELD;
    String presence = "2226" + A_FIELD;
    String block = "1200";
    assertEquals(2, decodeHex("0a50" + entry + entry, limits).wantlist().size());
    assertMalformedWith(limits, "0a78" + entry + entry + entry, "more than 2 wantlist entries");
    // Entries are counted across repeated wantlist fields.
    assertMalformedWith(limits, "0a50" + entry + entry + "0a28" + entry, "more than 2 wantlist entries");
    assertEquals(2, decodeHex(presence + presence, limits).presences().size());
    assertMalformedWith(limits, presence + presence + presence, "more than 2 block presences");
    assertEquals(2, decodeHex(block + block, limits).blocks().size());
    // 1.0.0 blocks and payloads share the count.
    assertMalformedWith(limits, block + block + "1a06" + "0a0401551220", "more than 2 blocks");
  }

  private static void assertMalformedWith(MessageLimits limits, String hex, String reason) {
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> decodeHex(hex, limits));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void aBodyOverTheSizeLimitIsRefusedUnread() {
    MessageLimits limits = new MessageLimits(10, 1, 1, 1, 1);
    assertEquals(BitswapMessage.EMPTY, decodeHex("3a080000000000000000", limits));
    assertThrows(MessageTooLargeException.class, () -> decodeHex("3a09000000000000000000", limits));
  }

  // ---- decoding: malformed input ----

  @Test
  void rejectsTruncatedVarints() {
    assertMalformed("8a", "message: truncated varint (at byte 1)");
    assertMalformed("28ff", "truncated varint");
    assertMalformed("0a01" + "10", "wantlist: truncated varint");
    assertMalformed("0a03" + "0a01" + "10", "wantlist entry 0: truncated varint");
  }

  @Test
  void rejectsVarintsLongerThanTenBytes() {
    assertMalformed("28" + "ff".repeat(10) + "01", "varint longer than 10 bytes");
  }

  @Test
  void rejectsVarintsWithBitsPastSixtyFour() {
    // As go's protowire (boxo) does; 0x01 in the tenth byte is bit 63, the last a uint64 has.
    assertMalformed("28" + "ff".repeat(9) + "02", "message: varint overflows 64 bits");
    assertEquals(-1, decodeHex("28" + "ff".repeat(9) + "01", MessageLimits.DEFAULT).pendingBytes());
  }

  @Test
  void rejectsLengthsPastTheEnd() {
    assertMalformed("0a050a", "length 5 runs past the end (1 bytes left)");
    // Past the end of the enclosing wantlist, though not of the message.
    assertMalformed("0a030a0510" + "0000000000", "wantlist: length 5 runs past the end (1 bytes left)");
    assertMalformed("1a" + "ffffffffffffffffff01", "runs past the end");
  }

  @Test
  void rejectsTruncatedFixedFields() {
    assertMalformed("3901020304", "truncated 64-bit field");
    assertMalformed("3d0102", "truncated 32-bit field");
  }

  @Test
  void rejectsFieldNumberZeroAndUnsupportedWireTypes() {
    assertMalformed("0001", "invalid field tag 0");
    assertMalformed("0200", "invalid field tag 2");
    assertMalformed("33", "unsupported wire type 3 (field 6)");
    assertMalformed("36", "unsupported wire type 6 (field 6)");
    assertMalformed("37", "unsupported wire type 7 (field 6)");
    assertMalformed("8080808010", "invalid field tag");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "0801:wantlist (field 1) has wire type 0",
      "1001:block (field 2) has wire type 0",
      "1801:payload block (field 3) has wire type 0",
      "2001:block presence (field 4) has wire type 0",
      "2a00:pendingBytes (field 5) has wire type 2",
      "0a020801:entry (field 1) has wire type 0",
      "0a021200:full (field 2) has wire type 2",
      "0a040a020801:block (field 1) has wire type 0",
      "0a040a021200:priority (field 2) has wire type 2",
      "0a040a021a00:cancel (field 3) has wire type 2",
      "0a040a022200:wantType (field 4) has wire type 2",
      "0a040a022a00:sendDontHave (field 5) has wire type 2",
      "1a020801:prefix (field 1) has wire type 0",
      "1a021001:data (field 2) has wire type 0",
      "22020801:cid (field 1) has wire type 0",
      "22021200:type (field 2) has wire type 2",
      "0d01020304:wantlist (field 1) has wire type 5"})
  void rejectsKnownFieldsWithTheWrongWireType(String caseText) {
    String[] parts = caseText.split(":");
    assertMalformed(parts[0], parts[1]);
  }

  @Test
  void rejectsEntriesAndPresencesWithoutACid() {
    assertMalformed("0a040a021001", "wantlist entry 0: no CID");
    assertMalformed("22021001", "block presence 0: no CID");
    assertMalformed("0a040a020a00", "invalid CID: empty CID");
  }

  @Test
  void rejectsUnparseableCids() {
    MalformedMessageException e = assertMalformed("0a2f" + "0a26" + A_FIELD + "0a05" + "0a03015512", "wantlist entry 1: invalid CID");
    assertTrue(e.getCause() instanceof io.cairn.multiformats.InvalidCidException, String.valueOf(e.getCause()));
    assertMalformed("2205" + "0a03" + "020000", "block presence 0: invalid CID");
  }

  @Test
  void rejectsBadPrefixes() {
    assertMalformed("1a00", "payload block 0: no CID prefix");
    assertMalformed("1a06" + "0a0402551220", "payload block 0: invalid CID prefix: CID version 2");
    assertMalformed("1a06" + "0a0400551220", "a CIDv0 is dag-pb");
    assertMalformed("1a05" + "0a03015512", "truncated varint");
    assertMalformed("1a07" + "0a050155122000", "1 bytes after the CID prefix");
    assertMalformed("1a07" + "0a0501d5001220", "not minimally encoded");
    assertMalformed("1a0e" + "0a0c015512" + "ffffffffffffffff7f", "digest length 9223372036854775807");
  }

  @Test
  void errorsSayWhere() {
    assertMalformed("0a03" + "0a01" + "10", "wantlist entry 0: truncated varint (at byte 5)");
    assertMalformed("3001" + "2205" + "0a03" + "020000", "block presence 0: invalid CID: unsupported CID version 2 (at byte 9)");
  }

  @Test
  void blocksDecodedIntoTheirOwnArrays() {
    byte[] data = new byte[5000];
    new Random(1).nextBytes(data);
    BitswapMessage message = BitswapMessage.blocks(List.of(BlockPayload.of(raw(data), data)));
    ByteBuf body = TestMessages.body(message, BitswapProtocol.V1_2_0);
    BitswapMessage decoded = BitswapCodec.decode(body, MessageLimits.DEFAULT);
    body.setZero(0, body.capacity());
    body.release();
    assertArrayEquals(data, decoded.blocks().get(0).data(), "the decoded block does not share the buffer");
    assertEquals(raw(data), decoded.blocks().get(0).cid());
  }

  @Test
  void decodedListsAreImmutable() {
    List<WantlistEntry> entries = new ArrayList<>(List.of(WantlistEntry.wantBlock(A, 1, false)));
    BitswapMessage decoded = TestMessages.decode(TestMessages.body(BitswapMessage.wants(entries), BitswapProtocol.V1_2_0));
    assertThrows(UnsupportedOperationException.class, () -> decoded.wantlist().add(WantlistEntry.cancel(B)));
    assertThrows(UnsupportedOperationException.class, () -> decoded.blocks().clear());
  }
}
