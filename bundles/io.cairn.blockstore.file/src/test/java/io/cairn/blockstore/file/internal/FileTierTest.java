package io.cairn.blockstore.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.compression.deflate.internal.DeflateCodec;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/** The component around the store: configuration as ConfigAdmin gives it, codecs as DS binds them. */
class FileTierTest {
  @TempDir
  Path home;
  /** Refused configurations: WARN lines (the tier runs on with what it had). */
  private final List<String> rejections = new ArrayList<>();

  private Logger logger() {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if (m.getName().equals("warn") && a != null) {
        rejections.add(java.util.Arrays.deepToString(a));
      }
      return m.getReturnType() == boolean.class ? false : null;
    });
  }

  /** A config where {@code values} override the OCD defaults (keys as DS names them: cairn_tier). */
  private static FileTierConfig config(Map<String, Object> values) {
    return (FileTierConfig) Proxy.newProxyInstance(FileTierConfig.class.getClassLoader(),
        new Class<?>[] {FileTierConfig.class}, (p, m, a) -> {
          if (m.getName().equals("annotationType")) {
            return FileTierConfig.class;
          }
          return values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue();
        });
  }

  private static Map<String, Object> codecProps(long id) {
    Map<String, Object> props = new HashMap<>();
    props.put(Constants.SERVICE_ID, id);
    return props;
  }

  @Test
  void aTierLivesInBlocksUnderItsNameAndRefusesToMoveWhileRunning() throws Exception {
    FileTier tier = new FileTier(logger(), home, config(Map.of("cairn_tier", "hdd")));
    try {
      assertEquals("hdd", tier.name());
      assertTrue(Files.isDirectory(home.resolve("blocks/hdd")));
      Block b = Block.raw("hello".getBytes());
      tier.put(b).join();
      assertEquals(b, tier.get(b.cid()).join());
      tier.modified(config(Map.of("cairn_tier", "hdd", "path", "elsewhere")));
      assertTrue(rejections.getLast().contains("path"), rejections.toString());
      tier.modified(config(Map.of("cairn_tier", "hdd", "compressionLevel", 12)));
      assertTrue(rejections.getLast().contains("compressionLevel"), rejections.toString());
      tier.modified(config(Map.of("cairn_tier", "hdd", "capacityBytes", 1L << 30)));
      assertEquals(1L << 30, tier.stats().capacityBytes(), "a valid change applies live");
      CompletionException missing = assertThrows(CompletionException.class,
          () -> tier.get(Block.raw("absent".getBytes()).cid()).join());
      assertTrue(missing.getCause() instanceof BlockNotFoundException);
    } finally {
      tier.deactivate();
    }
  }

  @Test
  void anInterruptedCallerNeitherFailsItsReadNorClosesTheSegmentForOthers() throws Exception {
    FileTier tier = new FileTier(logger(), home, config(Map.of()));
    try {
      Block b = Block.raw("read me".getBytes());
      tier.put(b).join();
      // A FileChannel read on an interrupted thread closes the channel for every user of it: on the
      // caller's thread this failed the get and every later read and write of the segment.
      CompletableFuture<Block> read;
      Thread.currentThread().interrupt();
      try {
        read = tier.get(b.cid());
      } finally {
        Thread.interrupted();
      }
      assertEquals(b, read.join());
      assertEquals(b, tier.get(b.cid()).join(), "the segment still reads");
      Block later = Block.raw("written after".getBytes());
      tier.put(later).join();
      assertEquals(later, tier.get(later.cid()).join(), "and still takes writes");
    } finally {
      tier.deactivate();
    }
  }

  @Test
  void theReadLimitIsCheckedAndOneReadAtATimeStillServesAll() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new FileTier(logger(), home, config(Map.of("maxConcurrentReads", 0))));
    assertTrue(rejections.getLast().contains("maxConcurrentReads"), rejections.toString());
    FileTier tier = new FileTier(logger(), home, config(Map.of("maxConcurrentReads", 4)));
    try {
      Block b = Block.raw("limited".getBytes());
      tier.put(b).join();
      tier.modified(config(Map.of("maxConcurrentReads", 70_000)));
      assertTrue(rejections.getLast().contains("maxConcurrentReads"), rejections.toString());
      tier.modified(config(Map.of("maxConcurrentReads", 1)));
      List<CompletableFuture<Block>> reads = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        reads.add(tier.get(b.cid()));
      }
      for (CompletableFuture<Block> r : reads) {
        assertEquals(b, r.join());
      }
    } finally {
      tier.deactivate();
    }
    CompletionException closed = assertThrows(CompletionException.class, () -> tier.has(Block.raw("x".getBytes()).cid()).join());
    assertTrue(closed.getCause().getMessage().contains("closed"), closed.getCause().toString());
  }

  @Test
  void anInvalidTierNameStopsActivationWithTheKeyLogged() {
    assertThrows(IllegalArgumentException.class, () -> new FileTier(logger(), home, config(Map.of("cairn_tier", "Not OK"))));
    assertTrue(rejections.getLast().contains("cairn.tier"), rejections.toString());
  }

  @Test
  void aCodecLeavingWhileBlocksNeedItHasThemRewrittenFirst() throws Exception {
    FileTier tier = new FileTier(logger(), home,
        config(Map.of("compressionEnabled", true, "compressionCodec", "deflate")));
    try {
      DeflateCodec deflate = new DeflateCodec();
      tier.bindCodec(deflate, codecProps(7));
      List<Block> text = StoreFixture.textBlocks(20, 5000);
      tier.putMany(text).join();
      assertTrue(tier.stats().compressionRatio() < 0.75);
      tier.unbindCodec(deflate, codecProps(7));
      for (Block b : text) {
        assertEquals(b, tier.get(b.cid()).join(), "readable with no codec bound");
      }
      assertEquals(1.0, tier.stats().compressionRatio(), 0.05, "rewritten raw");
    } finally {
      tier.deactivate();
    }
  }
}
