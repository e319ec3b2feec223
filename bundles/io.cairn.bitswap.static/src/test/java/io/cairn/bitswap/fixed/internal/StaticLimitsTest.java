package io.cairn.bitswap.fixed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.testing.Components;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticLimitsTest {
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());

  private static StaticLimitsConfig config(Map<String, Object> values) {
    return (StaticLimitsConfig) Components.config(StaticLimitsConfig.class, values);
  }

  @Test
  void byDefaultBoxosFixedLimitsWhateverIsObserved() {
    StaticLimits l = Components.createWith(StaticLimits.class, StaticLimits.class.getName(), Map.of(), Components.logger());
    assertEquals(FixedLimits.BOXO.peerOutstandingBytes(), l.peerOutstandingBytes(peer));
    assertEquals(Long.MAX_VALUE, l.globalOutstandingBytes(), "boxo has no global budget");
    assertEquals(BitswapLimits.BOXO_LOOKUP_CONCURRENCY, l.lookupConcurrency());
    l.sent(peer, 1 << 30, 1, true);
    l.lookedUp(1_000_000_000L, true, 128);
    assertEquals(1 << 20, l.peerOutstandingBytes(peer));
    assertEquals(128, l.lookupConcurrency());
  }

  @Test
  void configuredValuesApplyLiveAndInvalidOnesAreRefusedNamingTheKey() {
    StaticLimits l = Components.createWith(StaticLimits.class, StaticLimits.class.getName(), Map.of(), Components.logger());
    Components.call(l, "modified", config(Map.of("peerOutstandingBytes", 10L << 20, "lookupConcurrency", 256,
        "globalOutstandingBytes", 1L << 30)));
    assertEquals(10 << 20, l.peerOutstandingBytes(peer));
    assertEquals(256, l.lookupConcurrency());
    assertEquals(1L << 30, l.globalOutstandingBytes());
    Components.call(l, "modified", config(Map.of("lookupConcurrency", 0)));
    assertEquals(256, l.lookupConcurrency(), "refused: the previous value stays");
    assertEquals("peerOutstandingBytes", assertThrows(InvalidConfigException.class,
        () -> StaticLimits.of(config(Map.of("peerOutstandingBytes", 1L)))).key());
  }
}
