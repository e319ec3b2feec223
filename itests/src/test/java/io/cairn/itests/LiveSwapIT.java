package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.TierStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * Hot swap under traffic (issue 4): while a writer and a reader loop run against the node's
 * blockstore, the write codec changes, the memory tier is resized, a tier is added and then removed
 * (its blocks migrated first), and a codec bundle holding blocks is stopped (its blocks rewritten
 * first). Not one operation may fail, and every acknowledged block must read back byte for byte.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveSwapIT {
  private static final String FILE_TIER = "io.cairn.blockstore.file";

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MultiTierBlockstore blockstore;
  @Inject LogReaderService logReader;

  @Configuration
  public Option[] config() {
    return new Option[] {CairnOptions.node(CairnOptions.tempDir("cairn-swap"), CairnOptions.tempDir("cairn-swap-conf"),
        CairnOptions.freePort())};
  }

  private static Dictionary<String, Object> tier(String name, int rank, String codec) {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("cairn.tier", name);
    props.put("cairn.tier.rank", rank);
    props.put("minFreeBytes", 0L);
    props.put("segmentBytes", 4 << 20);
    props.put("compressionEnabled", true);
    props.put("compressionCodec", codec);
    return props;
  }

  private List<String> tierNames() {
    return blockstore.tiers().stream().map(TierStats::tier).toList();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue("timed out waiting for " + what, System.nanoTime() < deadline);
      Thread.sleep(50);
    }
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName().equals(symbolicName)) {
        return b;
      }
    }
    throw new AssertionError("no bundle " + symbolicName);
  }

  /** Half text that compresses, half random bytes that do not, so both kinds of record are written. */
  private static Block block(Random random, long n) {
    byte[] data;
    if (n % 2 == 0) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 3000) {
        text.append("live swap block ").append(n).append(" line ").append(text.length()).append('\n');
      }
      data = text.toString().getBytes(StandardCharsets.UTF_8);
    } else {
      data = new byte[500 + random.nextInt(3000)];
      random.nextBytes(data);
    }
    return Block.raw(data);
  }

  @Test
  public void swapsUnderTrafficFailNothingAndLoseNothing() throws Exception {
    List<String> errorsLogged = new CopyOnWriteArrayList<>();
    LogListener errorLog = entry -> {
      if (entry.getLogLevel() == LogLevel.ERROR) {
        errorsLogged.add(entry.getBundle().getSymbolicName() + ": " + entry.getMessage());
      }
    };
    logReader.addLogListener(errorLog);
    configAdmin.getFactoryConfiguration(FILE_TIER, "ssd", "?").update(tier("ssd", 100, "lz4"));
    await("the ssd tier", () -> tierNames().contains("ssd"));

    List<Block> acknowledged = new CopyOnWriteArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    Thread writer = new Thread(() -> {
      Random random = new Random(1);
      long n = 0;
      while (running.get()) {
        List<Block> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          batch.add(block(random, n++));
        }
        try {
          blockstore.putBatch(batch).get(60, TimeUnit.SECONDS);
          acknowledged.addAll(batch);
        } catch (Exception e) {
          failures.add(e);
        }
      }
    }, "live-swap-writer");
    Thread reader = new Thread(() -> {
      Random random = new Random(2);
      while (running.get()) {
        if (acknowledged.isEmpty()) {
          Thread.onSpinWait();
          continue;
        }
        Block expected = acknowledged.get(random.nextInt(acknowledged.size()));
        try {
          Block got = blockstore.get(expected.cid()).get(60, TimeUnit.SECONDS);
          if (!got.equals(expected)) {
            failures.add(new AssertionError("wrong bytes for " + expected.cid()));
          }
          reads.incrementAndGet();
        } catch (Exception e) {
          failures.add(e);
        }
      }
    }, "live-swap-reader");
    writer.start();
    reader.start();
    try {
      await("traffic", () -> acknowledged.size() > 2000);

      // The write codec changes: old lz4 records stay readable beside new zstd ones.
      configAdmin.getFactoryConfiguration(FILE_TIER, "ssd", "?").update(tier("ssd", 100, "zstd"));
      int mark = acknowledged.size();
      await("writes after the codec change", () -> acknowledged.size() > mark + 2000);

      // The memory tier shrinks and grows again.
      Hashtable<String, Object> memory = new Hashtable<>();
      memory.put("capacityBytes", 8L << 20);
      configAdmin.getConfiguration("io.cairn.blockstore.memory", "?").update(memory);
      await("the memory tier at 8 MiB", () -> blockstore.tiers().getFirst().capacityBytes() == 8L << 20);
      memory.put("capacityBytes", 256L << 20);
      configAdmin.getConfiguration("io.cairn.blockstore.memory", "?").update(memory);
      await("the memory tier at 256 MiB", () -> blockstore.tiers().getFirst().capacityBytes() == 256L << 20);

      // A faster tier arrives ahead of ssd and takes the writes; then it leaves, and what only it held
      // moves to ssd before it goes.
      configAdmin.getFactoryConfiguration(FILE_TIER, "nvme", "?").update(tier("nvme", 50, "lz4"));
      await("the nvme tier", () -> tierNames().contains("nvme"));
      int beforeNvme = acknowledged.size();
      await("writes into nvme", () -> acknowledged.size() > beforeNvme + 2000
          && blockstore.tiers().stream().anyMatch(t -> t.tier().equals("nvme") && t.blocks() > 0));
      configAdmin.getFactoryConfiguration(FILE_TIER, "nvme", "?").delete();
      await("the nvme tier gone", () -> !tierNames().contains("nvme"));

      // A codec leaves while blocks need it: they are rewritten before its bundle stops.
      Bundle lz4 = bundle("io.cairn.compression.lz4");
      lz4.stop();
      int afterLz4 = acknowledged.size();
      await("writes after lz4 left", () -> acknowledged.size() > afterLz4 + 1000);
      lz4.start();
    } finally {
      running.set(false);
      writer.join(60_000);
      reader.join(60_000);
      logReader.removeLogListener(errorLog);
    }
    assertEquals("errors logged during the swaps", List.of(), errorsLogged);
    assertEquals("failed operations: " + failures, List.of(), failures);
    assertTrue("the reader ran", reads.get() > 1000);
    for (Block b : acknowledged) {
      assertArrayEquals("block " + b.cid(), b.data(), blockstore.get(b.cid()).get(60, TimeUnit.SECONDS).data());
    }
  }
}
