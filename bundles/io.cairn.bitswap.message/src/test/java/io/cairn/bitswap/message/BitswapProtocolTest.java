package io.cairn.bitswap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BitswapProtocolTest {
  @Test
  void idsAreTheSpecsNewestFirst() {
    assertEquals(List.of("/ipfs/bitswap/1.2.0", "/ipfs/bitswap/1.1.0", "/ipfs/bitswap/1.0.0"), BitswapProtocol.ids());
    for (BitswapProtocol protocol : BitswapProtocol.values()) {
      assertEquals(Optional.of(protocol), BitswapProtocol.of(protocol.id()));
    }
  }

  @Test
  void unknownIdsAreNone() {
    assertEquals(Optional.empty(), BitswapProtocol.of("/ipfs/bitswap/1.3.0"));
    assertEquals(Optional.empty(), BitswapProtocol.of("/ipfs/bitswap"));
    assertEquals(Optional.empty(), BitswapProtocol.of(""));
  }

  @Test
  void featuresByVersion() {
    assertTrue(BitswapProtocol.V1_2_0.supportsHave());
    assertFalse(BitswapProtocol.V1_1_0.supportsHave());
    assertFalse(BitswapProtocol.V1_0_0.supportsHave());
    assertTrue(BitswapProtocol.V1_2_0.supportsPayload());
    assertTrue(BitswapProtocol.V1_1_0.supportsPayload());
    assertFalse(BitswapProtocol.V1_0_0.supportsPayload());
  }
}
