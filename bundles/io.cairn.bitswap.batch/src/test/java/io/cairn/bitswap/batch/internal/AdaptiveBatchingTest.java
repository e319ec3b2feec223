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
  void aPeerIsHeldUntilAHundredWantsOrTenMillisecondsAndLetGoOneMillisecondAfterItsWantsStop() {
    AdaptiveBatching b = batching(Map.of());
    assertEquals(new Batch(100, MS, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 0, 64),
        "held for the linger: asked again at each new want, so a stream of wants keeps it held");
    assertEquals(new Batch(100, MS / 2, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.HIGH, 99), 9 * MS + MS / 2, 64),
        "never past the timeout, counted from the longest-queued want");
    assertEquals(new Batch(100, 0, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 25 * MS, 64),
        "a want that already waited the timeout (e.g. for the byte budget) is not held again");
    assertEquals(new Batch(100, 0, true, BatchFlush.FULL), b.plan(turn(WantClass.NORMAL, 100), 0, 64));
    assertEquals(new Batch(100, 0, true, BatchFlush.URGENT), b.plan(turn(WantClass.CRITICAL, 1), 0, 64),
        "a critical want never waits");

    AdaptiveBatching noLinger = batching(Map.of("lingerMillis", 0));
    assertEquals(new Batch(100, 4 * MS, true, BatchFlush.TIMEOUT), noLinger.plan(turn(WantClass.NORMAL, 1), 6 * MS, 64));
  }

  @Test
  void aTurnTakesThePeersWholeBacklogUpToTheLargestBatch() {
    AdaptiveBatching b = batching(Map.of());
    assertEquals(350, b.plan(turn(WantClass.NORMAL, 350), 0, 64).size());
    assertEquals(1000, b.plan(turn(WantClass.NORMAL, 5000), 0, 64).size());
    assertEquals(1000, b.plan(turn(WantClass.CRITICAL, 5000), 0, 64).size());
    assertEquals(100, b.plan(turn(WantClass.NORMAL, 3), 0, 64).size(), "room for what arrives while held");
  }

  @Test
  void changesApplyLiveAndInvalidOnesAreRefusedNamingTheKey() {
    AdaptiveBatching b = batching(Map.of());
    b.modified((AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class,
        Map.of("minBatchSize", 10, "maxBatchSize", 150, "batchTimeoutMillis", 0)));
    assertEquals(new Batch(10, 0, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 0, 64),
        "timeout 0: never held, still looked up together");
    assertEquals(150, b.plan(turn(WantClass.NORMAL, 500), 0, 64).size());

    b.modified((AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class,
        Map.of("minBatchSize", 500, "maxBatchSize", 100)));
    assertTrue(log.stream().anyMatch(l -> l.contains("maxBatchSize")), log.toString());
    b.modified((AdaptiveBatchingConfig) Components.config(AdaptiveBatchingConfig.class, Map.of("lingerMillis", 101)));
    assertTrue(log.stream().anyMatch(l -> l.contains("lingerMillis")), log.toString());
    assertEquals(new Batch(10, 0, true, BatchFlush.TIMEOUT), b.plan(turn(WantClass.NORMAL, 1), 0, 64),
        "refused: the previous settings stay");
  }
}
