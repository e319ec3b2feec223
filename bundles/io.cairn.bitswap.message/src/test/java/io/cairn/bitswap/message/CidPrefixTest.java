package io.cairn.bitswap.message;

import static io.cairn.bitswap.message.TestMessages.bytes;
import static io.cairn.bitswap.message.TestMessages.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidPrefixTest {
  private static final byte[] DATA = bytes("some block");

  @Test
  void prefixOfARawCid() {
    CidPrefix prefix = CidPrefix.of(TestMessages.raw(DATA));
    assertEquals(new CidPrefix(1, 0x55, 0x12, 32), prefix);
    assertEquals("01551220", hex(prefix.toBytes()));
    assertEquals(prefix, CidPrefix.decode(prefix.toBytes()));
  }

  @Test
  void everyCidV0HasTheV0Prefix() {
    assertSame(CidPrefix.V0, CidPrefix.of(TestMessages.v0(DATA)));
    assertEquals("00701220", hex(CidPrefix.V0.toBytes()));
    assertSame(CidPrefix.V0, CidPrefix.decode(CidPrefix.V0.toBytes()));
  }

  @Test
  void multiByteCodesAreVarints() {
    CidPrefix prefix = CidPrefix.of(TestMessages.dagCborBlake2b(DATA));
    assertEquals(new CidPrefix(1, Multicodec.DAG_CBOR.code(), Multicodec.BLAKE2B_256.code(), 32), prefix);
    assertEquals("0171a0e40220", hex(prefix.toBytes()));
  }

  @Test
  void cidOfHashesWithThePrefixFunction() {
    for (Cid cid : new Cid[] {TestMessages.raw(DATA), TestMessages.v0(DATA), TestMessages.dagCborBlake2b(DATA),
        TestMessages.rawSha512(DATA)}) {
      assertEquals(cid, CidPrefix.of(cid).cidOf(DATA));
      assertEquals(cid, BlockPayload.of(cid, DATA).cid());
    }
  }

  @Test
  void identityAndUnknownFunctionsAreRefused() {
    assertTrue(assertThrows(MalformedMessageException.class, () -> new CidPrefix(1, 0x55, 0x00, 4).cidOf(DATA))
        .getMessage().contains("identity or unknown"));
    // keccak-256: a real function, but not one this node computes.
    assertThrows(MalformedMessageException.class, () -> new CidPrefix(1, 0x55, 0x1b, 32).cidOf(DATA));
    // raw is a codec, not a hash function.
    assertTrue(assertThrows(MalformedMessageException.class, () -> new CidPrefix(1, 0x55, 0x55, 32).cidOf(DATA))
        .getMessage().contains("cannot hash with raw"));
  }

  @Test
  void aDigestLengthOtherThanTheFunctionsIsRefused() {
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> new CidPrefix(1, 0x55, 0x12, 20).cidOf(DATA));
    assertTrue(e.getMessage().contains("sha2-256 digests are 32 bytes, not 20"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      ":truncated varint",
      "015512:truncated varint",
      "0155122000:1 bytes after the CID prefix",
      "02551220:CID version 2",
      "00551220:a CIDv0 is dag-pb",
      "00701214:a CIDv0 is dag-pb",
      "01d5001220:not minimally encoded",
      "01ffffffffffffffffff01:unsigned varint longer than 9 bytes",
      "015512ffffffffffffffff7f:digest length 9223372036854775807"})
  void decodeRefusesBadPrefixes(String caseText) {
    String[] parts = caseText.split(":");
    MalformedMessageException e = assertThrows(MalformedMessageException.class,
        () -> CidPrefix.decode(ByteBufUtil.decodeHexDump(parts[0])));
    assertTrue(e.getMessage().startsWith("CID prefix: "), e.getMessage());
    assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
  }

  @Test
  void constructorRefusesWhatNoCidCanHave() {
    assertThrows(IllegalArgumentException.class, () -> new CidPrefix(2, 0x55, 0x12, 32));
    assertThrows(IllegalArgumentException.class, () -> new CidPrefix(1, -1, 0x12, 32));
    assertThrows(IllegalArgumentException.class, () -> new CidPrefix(1, 0x55, -1, 32));
    assertThrows(IllegalArgumentException.class, () -> new CidPrefix(1, 0x55, 0x12, -1));
    assertThrows(IllegalArgumentException.class, () -> new CidPrefix(0, 0x55, 0x12, 32));
  }

  @Test
  void blockPayloadsCompareTheirData() {
    BlockPayload a = BlockPayload.of(TestMessages.raw(DATA), DATA);
    BlockPayload b = BlockPayload.of(TestMessages.raw(DATA), DATA.clone());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertArrayEquals(DATA, b.data());
    assertEquals("BlockPayload[prefix=CidPrefix[version=1, codec=85, multihashCode=18, digestLength=32], 10 bytes]",
        a.toString());
  }
}
