package io.cairn.libp2p.noise.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakePayloadTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesFieldsInTagOrderWithMuxersInTheExtensions() {
    byte[] encoded = new HandshakePayload(new byte[] {1, 2}, new byte[] {3}, List.of("/yamux/1.0.0")).encode();
    // 1: key, 2: signature, 4: extensions { 2: "/yamux/1.0.0" }
    assertEquals("0a020102" + "120103" + "220e" + "120c" + HEX.formatHex("/yamux/1.0.0".getBytes()), HEX.formatHex(encoded));
    assertEquals("0a00" + "1200", HEX.formatHex(new HandshakePayload(new byte[0], new byte[0], List.of()).encode()));
  }

  @Test
  void decodesWhatItEncodes() throws NoiseException {
    HandshakePayload payload = new HandshakePayload(new byte[] {8, 1}, new byte[64], List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    HandshakePayload decoded = HandshakePayload.decode(payload.encode());
    assertArrayEquals(payload.identityKey(), decoded.identityKey());
    assertArrayEquals(payload.identitySignature(), decoded.identitySignature());
    assertEquals(payload.streamMuxers(), decoded.streamMuxers());
  }

  @Test
  void skipsUnknownFieldsKeepsTheLastValueAndMergesExtensions() throws NoiseException {
    byte[] bytes = HEX.parseHex("0a0101" // identity_key = 01
        + "1a03aabbcc" // data = 3, of revisions before r3
        + "0a0102" // identity_key again: the last one counts
        + "2803" // field 5, varint
        + "2d01020304" // field 5, fixed32
        + "290102030405060708" // field 5, fixed64
        + "2205" + "0a01ee" + "1200" // extensions: a certhash, an empty muxer id
        + "2203" + "120161"); // extensions again: muxer "a"
    HandshakePayload decoded = HandshakePayload.decode(bytes);
    assertArrayEquals(new byte[] {2}, decoded.identityKey());
    assertArrayEquals(new byte[0], decoded.identitySignature());
    assertEquals(List.of("", "a"), decoded.streamMuxers());
  }

  @Test
  void malformedPayloadsAreRefused() {
    for (String hex : List.of(
        "0a05010203", // length past the end
        "0a", // length missing
        "0880", // varint cut short
        "08ffffffffffffffffffff01", // varint of 11 bytes
        "0a0101" + "28ffffffffffffffffff02", // an unknown varint with bits past 64 (go's protowire refuses it too)
        "0b", // wire type 3 (group)
        "0801", // identity_key as a varint
        "0001", // field number 0
        "2d0102", // fixed32 cut short
        "2202" + "1280", // extensions whose muxer field runs past its end
        "2203" + "1201ff")) { // a muxer id that is not UTF-8
      NoiseException e = assertThrows(NoiseException.class, () -> HandshakePayload.decode(HEX.parseHex(hex)), hex);
      assertEquals(Reason.MALFORMED_MESSAGE, e.reason(), hex);
    }
  }
}
