package io.cairn.bitswap.batch.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bitswap.spi.Batch;
import io.cairn.bitswap.spi.BatchFlush;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdaptiveBatchingTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  private final List<String> log = new ArrayList<>();

  private AdaptiveBatching batching(Map<String, Object> values) {
    return new AdaptiveBatching(Components.logger(log),
        (AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class, values));
  }

  private PeerTurn turn(WantClass best, int queued) {
    return new PeerTurn(peer, false, 0, best, queued);
  }

  @Test
  void theSeedsDefaultsHoldAPeerUntilAHundredWantsOrTenMilliseconds() {
    AdaptiveBatching b = batching(Map.of());
    assertEquals(new Batch(100, 10 * MS, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 0, 64));
    assertEquals(new Batch(100, 4 * MS, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.HIGH, 99), 6 * MS, 64),
        "the hold counts from the longest-queued want's arrival");
    assertEquals(new Batch(100, 0, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 25 * MS, 64),
        "a want that already waited the timeout (e.g. for the byte budget) is not held again");
    assertEquals(new Batch(100, 0, true, BatchFlush.FULL), b.plan(turn(WantClass.NORMAL, 100), 0, 64));
    assertEquals(new Batch(100, 0, true, BatchFlush.URGENT), b.plan(turn(WantClass.CRITICAL, 1), 0, 64),
        "a critical want never waits");
  }

  @Test
  void aPeersBatchGrowsWhileBatchesFillAndShrinksWhenTimeoutsSendThemHalfEmpty() {
    AdaptiveBatching b = batching(Map.of());
    int[] grown = new int[5];
    for (int i = 0; i < grown.length; i++) {
      int size = b.plan(turn(WantClass.NORMAL, 5000), 0, 64).size();
      b.served(peer, size, BatchFlush.FULL, 1000);
      grown[i] = b.size(peer);
    }
    assertEquals(List.of(200, 400, 800, 1000, 1000), java.util.Arrays.stream(grown).boxed().toList(), "capped at 1000");
    b.served(peer, 600, BatchFlush.TIMEOUT, 1000);
    assertEquals(1000, b.size(peer), "half full or more: kept");
    b.served(peer, 10, BatchFlush.TIMEOUT, 1000);
    assertEquals(750, b.size(peer));
    for (int i = 0; i < 20; i++) {
      b.served(peer, 10, BatchFlush.TIMEOUT, 1000);
    }
    assertEquals(100, b.size(peer), "never below the smallest");
    b.served(peer, 100, BatchFlush.FULL, 1000);
    b.peerGone(peer);
    assertEquals(100, b.size(peer), "a peer that left starts again from the smallest");
    b.served(peer, 100, BatchFlush.URGENT, 1000);
    assertEquals(100, b.size(peer), "an urgent turn says nothing about the peer's rate");
  }

  @Test
  void changesApplyLiveAndInvalidOnesAreRefusedNamingTheKey() {
    AdaptiveBatching b = batching(Map.of());
    b.served(peer, 100, BatchFlush.FULL, 1000);
    assertEquals(200, b.size(peer));
    b.modified((AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class,
        Map.of("minBatchSize", 10, "maxBatchSize", 150, "batchTimeoutMillis", 0)));
    assertEquals(150, b.size(peer), "a peer's size stays within the new bounds");
    assertEquals(new Batch(150, 0, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 0, 64),
        "timeout 0: never held, still looked up together");

    Map<String, Object> inverted = new HashMap<>(Map.of("minBatchSize", 500, "maxBatchSize", 100));
    b.modified((AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class, inverted));
    assertEquals(150, b.size(peer), "refused: the previous settings stay");
    assertTrue(log.stream().anyMatch(l -> l.contains("maxBatchSize")), log.toString());
    b.modified((AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class, Map.of("batchTimeoutMillis", 101)));
    assertTrue(log.stream().anyMatch(l -> l.contains("batchTimeoutMillis")), log.toString());
    assertEquals(new Batch(150, 0, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 0, 64));
  }
}
