package io.cairn.blockstore.memory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.TierStats;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

class MemoryTierTest {
  private static final long GIB = 1L << 30;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  /** A logger that keeps ERROR and WARN lines, with {} filled in, for the assertions. */
  private Logger logger() {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if ((m.getName().equals("error") || m.getName().equals("warn")) && a != null && a[0] instanceof String format) {
        String line = format;
        Object[] args = a.length == 2 && a[1] instanceof Object[] varargs ? varargs : java.util.Arrays.copyOfRange(a, 1, a.length);
        for (Object arg : args) {
          line = line.replaceFirst("\\{}", java.util.regex.Matcher.quoteReplacement(String.valueOf(arg)));
        }
        (m.getName().equals("error") ? errors : warnings).add(line);
      }
      return m.getReturnType() == boolean.class ? false : null;
    });
  }

  private static MemoryTierConfig config(long capacity, double share) {
    return (MemoryTierConfig) Proxy.newProxyInstance(MemoryTierConfig.class.getClassLoader(),
        new Class<?>[] {MemoryTierConfig.class}, (p, m, a) -> switch (m.getName()) {
          case "capacityBytes" -> capacity;
          case "maxHeapShare" -> share;
          case "annotationType" -> MemoryTierConfig.class;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private static Block block(int i, int size) {
    byte[] data = new byte[size];
    data[0] = (byte) i;
    data[1] = (byte) (i >> 8);
    data[2] = (byte) (i >> 16);
    return Block.raw(data);
  }

  @Test
  void storesFindsAndDeletes() {
    MemoryTier tier = new MemoryTier(logger(), config(1 << 20, 0.5), 8 * GIB);
    Block b = block(1, 1024);
    assertFalse(tier.has(b.cid()).join());
    tier.put(b).join();
    assertTrue(tier.has(b.cid()).join());
    assertSame(b, tier.get(b.cid()).join());
    assertEquals(1024, tier.getSize(b.cid()).join());
    assertEquals(List.of(b.cid()), tier.keys().toList());
    assertTrue(tier.delete(b.cid()).join());
    assertFalse(tier.delete(b.cid()).join());
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> tier.get(b.cid()).join());
    assertInstanceOf(BlockNotFoundException.class, e.getCause());
    assertFalse(tier.persistent());
  }

  @Test
  void evictsByBytesNotCount() {
    long capacity = 100 * (1024 + MemoryTier.ENTRY_OVERHEAD);
    MemoryTier tier = new MemoryTier(logger(), config(capacity, 0.5), 8 * GIB);
    for (int i = 0; i < 1000; i++) {
      tier.put(block(i, 1024)).join();
    }
    tier.cleanUp();
    TierStats stats = tier.stats();
    assertTrue(stats.usedBytes() <= capacity, stats.toString());
    assertTrue(stats.blocks() <= 100 && stats.blocks() > 50, stats.toString());
  }

  @Test
  void resizesLiveKeepingWhatFits() {
    MemoryTier tier = new MemoryTier(logger(), config(1 << 20, 0.5), 8 * GIB);
    for (int i = 0; i < 100; i++) {
      tier.put(block(i, 4096)).join();
    }
    tier.modified(config(10 * (4096 + MemoryTier.ENTRY_OVERHEAD), 0.5));
    tier.cleanUp();
    assertTrue(tier.stats().blocks() <= 10, tier.stats().toString());
    assertEquals(10L * (4096 + MemoryTier.ENTRY_OVERHEAD), tier.stats().capacityBytes());
    tier.modified(config(1 << 20, 0.5));
    for (int i = 0; i < 100; i++) {
      tier.put(block(i, 4096)).join();
    }
    tier.cleanUp();
    assertEquals(100, tier.stats().blocks());
  }

  @Test
  void capacityOverTheHeapShareIsRefusedAndThePreviousStays() {
    MemoryTier tier = new MemoryTier(logger(), config(1 << 20, 0.5), 8 * GIB);
    tier.modified(config(5 * GIB, 0.5));
    assertEquals(1 << 20, tier.stats().capacityBytes());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("io.cairn.blockstore.memory") && warnings.get(0).contains("capacityBytes"), warnings.get(0));
    assertEquals(List.of(), errors, "a refused configuration is a warning: the tier runs on");
  }

  @Test
  void defaultsThatDoNotFitASmallHeapAreFittedWithAWarning() {
    MemoryTier tier = new MemoryTier(logger(), config(2 * GIB, 0.5), GIB);
    assertEquals(GIB / 2, tier.stats().capacityBytes());
    assertFalse(warnings.isEmpty());
  }

  @Test
  void hitRateCountsLookups() {
    MemoryTier tier = new MemoryTier(logger(), config(1 << 20, 0.5), 8 * GIB);
    Block b = block(7, 100);
    tier.put(b).join();
    tier.get(b.cid()).join();
    tier.get(block(8, 100).cid()).exceptionally(t -> null).join();
    assertEquals(0.5, tier.stats().hitRate(), 1e-9);
  }
}
