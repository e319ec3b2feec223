package io.cairn.blockstore.batchio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import org.junit.jupiter.api.Test;

class BatchIOSettingsTest {
  private static String refusedKey(Object... keyValues) {
    return assertThrows(InvalidConfigException.class, () -> BatchIOSettings.of(BatchIOComponentTest.config(keyValues))).key();
  }

  @Test
  void theDefaultsAreTheSeeds() {
    BatchIOSettings s = BatchIOSettings.of(Configs.defaults(BatchIOConfig.class));
    assertEquals(1000, s.batchSize());
    assertEquals(100, s.batchTimeoutMillis());
  }

  @Test
  void eachOutOfRangeValueIsRefusedByItsKey() {
    assertEquals("batchSize", refusedKey("batchSize", 0));
    assertEquals("batchSize", refusedKey("batchSize", 100_001, "maxQueuedBlocks", 200_000));
    assertEquals("batchTimeoutMillis", refusedKey("batchTimeoutMillis", 0L));
    assertEquals("batchTimeoutMillis", refusedKey("batchTimeoutMillis", 10_001L));
    assertEquals("maxQueuedBlocks", refusedKey("maxQueuedBlocks", 999)); // below the default batch size
    assertEquals("maxQueuedBytes", refusedKey("maxQueuedBytes", 0L));
    assertEquals("enqueueTimeoutMillis", refusedKey("enqueueTimeoutMillis", -1L));
    assertEquals("drainTimeoutMillis", refusedKey("drainTimeoutMillis", 600_001L));
  }
}
