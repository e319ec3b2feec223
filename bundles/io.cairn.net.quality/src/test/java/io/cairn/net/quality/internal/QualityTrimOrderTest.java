package io.cairn.net.quality.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQuality;
import io.cairn.net.spi.TrimCandidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QualityTrimOrderTest {
  private static TrimCandidate candidate(String name, int value, long bytesPerSecond, Duration rtt, double errorRate,
      double requests) {
    PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    ConnectionQuality q = new ConnectionQuality(peer, Optional.ofNullable(rtt), bytesPerSecond, 0, errorRate, requests,
        Instant.EPOCH);
    return new TrimCandidate(peer, value, 1, 1, false, Optional.of(q));
  }

  @Test
  void equalTagsAreDecidedByQuality() {
    TrimCandidate idle = candidate("idle", 5, 0, null, 0, 0);
    TrimCandidate flowing = candidate("flowing", 5, 10 << 20, Duration.ofMillis(20), 0, 100);
    TrimCandidate slow = candidate("slow", 5, 10 << 20, Duration.ofMillis(300), 0, 100);
    TrimCandidate failing = candidate("failing", 5, 10 << 20, Duration.ofMillis(20), 0.9, 100);
    List<TrimCandidate> all = new ArrayList<>(List.of(flowing, slow, failing, idle));
    all.sort(new QualityTrimOrder().order());
    assertEquals(List.of(failing, idle, slow, flowing), all, "first to go first");
  }

  @Test
  void aStrongTagOutweighsAnyQualityAndFewRequestsSayLittle() {
    TrimCandidate userConnected = candidate("user", 100, 0, null, 0, 0);
    TrimCandidate best = candidate("best", 0, 1L << 40, Duration.ofMillis(1), 0, 100);
    assertEquals(12, QualityTrimOrder.worth(best), 1e-9, "at most 10 + 2 points");
    assertEquals(100, QualityTrimOrder.worth(userConnected), 1e-9);
    TrimCandidate twoFailures = candidate("two", 5, 0, null, 1.0, 2);
    assertEquals(5 - 1.0, QualityTrimOrder.worth(twoFailures), 1e-9, "judged on 2 of 20 requests: a tenth of the penalty");
    TrimCandidate fastButFailing = candidate("fast", 0, 1L << 40, Duration.ofMillis(1), 0.5, 100);
    assertEquals(12 * 0.5 - 5, QualityTrimOrder.worth(fastButFailing), 1e-9, "half of its traffic fails: half its worth, less 5");
  }
}
