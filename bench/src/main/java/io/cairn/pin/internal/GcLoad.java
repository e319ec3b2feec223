package io.cairn.pin.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagPb;
import io.cairn.dag.DagService;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.node.NodeInfo;
import io.cairn.node.config.Configs;
import io.cairn.pin.GarbageCollector;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner.Pin;
import io.cairn.blockstore.service.internal.BlockServiceComponent;
import io.cairn.testing.Components;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.osgi.service.log.Logger;

/**
 * Load tool: one garbage collection over {@code blocks} blocks (default 1,000,000 of 1 KiB) of which
 * {@code pinnedPercent} (default 10) are pinned, on the real storage stack (batch I/O, tiered store, file
 * tier in {@code -Dcairn.bench.dir}), with a client putting new blocks one at a time throughout. Prints, as
 * JSON lines: the put latencies (percentiles) with no collection running, measured first for as long as
 * the collection will take is unknown so for {@code baselineSeconds} (default 20); the same during the
 * collection; the collection's duration, blocks removed and bytes freed; and a check that every pinned
 * block and every block put during the run is still there. The blocks form small dag-pb DAGs (a node over
 * {@value #FANOUT} raw leaves); the pinned share of them is pinned recursively, so marking walks them with
 * the real DAG walker (io.cairn.dag).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar io.cairn.pin.internal.GcLoad [blocks] [blockSize]
 * [pinnedPercent] [baselineSeconds]}. Write no figures into the repository from a busy machine.
 */
public final class GcLoad {
  /** Raw leaves under each dag-pb node. */
  static final int FANOUT = 9;

  private GcLoad() {}

  public static void main(String[] args) throws Exception {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int pinnedPercent = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int baselineSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    Path home = Files.createTempDirectory(Path.of(System.getProperty("cairn.bench.dir",
        System.getProperty("java.io.tmpdir"))), "cairn-gc-load");
    Logger log = Components.logger();
    NodeInfo node = new NodeInfo() {
      @Override
      public Path home() {
        return home;
      }

      @Override
      public String version() {
        return "0.0.0";
      }

      @Override
      public String commit() {
        return "";
      }
    };
    BatchIOManager batchio = Components.create(BatchIOManager.class,
        "io.cairn.blockstore.batchio.internal.BatchIOComponent", log, Map.of());
    MultiTierBlockstore store = Components.create(MultiTierBlockstore.class,
        "io.cairn.blockstore.tiered.internal.TieredBlockstore", log, Map.of());
    Components.call(store, "bindBatchIO", batchio);
    BlockTier file = Components.createWith(BlockTier.class, "io.cairn.blockstore.file.internal.FileTier",
        Map.of("cairn_tier", "ssd", "cairn_tier_rank", 100, "minFreeBytes", 0L), log, node);
    Components.call(store, "addTier", file, Map.of(BlockTier.TIER, "ssd", BlockTier.RANK, 100, "service.id", 1L), null);
    DagService dag = Components.createWith(DagService.class, "io.cairn.dag.internal.DagServiceComponent", Map.of(), store,
        new BlockServiceComponent(store, log), log);
    PinnerComponent pinner = new PinnerComponent(log, node, store, dag, Configs.defaults(PinnerConfig.class));
    GarbageCollectorComponent gc = new GarbageCollectorComponent(log, store, dag, pinner,
        Configs.defaults(GarbageCollectorConfig.class));
    try {
      long start = System.nanoTime();
      List<Cid> pinned = fill(store, pinner, blocks, size, pinnedPercent);
      System.out.printf("{\"phase\":\"fill\",\"blocks\":%d,\"blockSize\":%d,\"pinned\":%d,\"seconds\":%.1f}%n", blocks, size,
          pinned.size(), (System.nanoTime() - start) / 1e9);

      Putter baseline = new Putter(store, size, 1);
      baseline.start();
      Thread.sleep(baselineSeconds * 1000L);
      baseline.stop();
      baseline.print("puts-without-gc");

      Putter during = new Putter(store, size, 2);
      // Puts that began before the run registered its put observer are not the run's to keep; from the end
      // of marking on, every put began after it.
      int[] firstDuringRun = new int[1];
      gc.hooks = new GarbageCollectorComponent.Hooks() {
        @Override
        public void marked() {
          firstDuringRun[0] = during.count;
        }
      };
      during.start();
      long gcStart = System.nanoTime();
      GarbageCollector.Result r = gc.collect(null).join();
      double gcSeconds = (System.nanoTime() - gcStart) / 1e9;
      during.stop();
      during.print("puts-during-gc");
      System.out.printf("{\"phase\":\"gc\",\"seconds\":%.2f,\"marked\":%d,\"removed\":%d,\"bytesFreed\":%d,\"errors\":%d,"
          + "\"removedPerSecond\":%.0f}%n", gcSeconds, r.marked(), r.removed(), r.bytesFreed(), r.errors(),
          r.removed() / gcSeconds);

      long lost = 0;
      for (Cid c : pinned) {
        lost += store.has(c).join() ? 0 : 1;
      }
      List<Cid> putDuringRun = during.cids.subList(firstDuringRun[0], during.cids.size());
      for (Cid c : putDuringRun) {
        lost += store.has(c).join() ? 0 : 1;
      }
      System.out.printf("{\"phase\":\"check\",\"pinnedOrPutDuringGc\":%d,\"missing\":%d}%n",
          pinned.size() + putDuringRun.size(), lost);
    } finally {
      gc.deactivate();
      pinner.deactivate();
      Components.deactivate(dag);
      Components.deactivate(store);
      Components.deactivate(batchio);
      Components.deactivate(file);
      try (Stream<Path> files = Files.walk(home)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      } catch (IOException e) {
        System.err.println("could not delete " + home + ": " + e);
      }
    }
  }

  /** Distinct blocks: the index, then a stream of the seed's random bytes. */
  static Block block(long seed, long i, int size) {
    byte[] data = new byte[size];
    new SplittableRandom(seed * 1_000_003L + i).nextBytes(data);
    ByteBuffer.wrap(data).putLong(i);
    return Block.raw(data);
  }

  /**
   * Puts the blocks as DAGs of one dag-pb node over {@value #FANOUT} raw leaves, in batches, and pins
   * {@code pinnedPercent} of the DAGs recursively (recorded in one step per batch; they are all local).
   * Returns every pinned block's CID.
   */
  private static List<Cid> fill(MultiTierBlockstore store, PinnerComponent pinner, int blocks, int size,
      int pinnedPercent) {
    List<Cid> pinned = new ArrayList<>();
    List<Block> batch = new ArrayList<>(1000);
    List<Pin> pins = new ArrayList<>();
    int dags = blocks / (FANOUT + 1);
    for (int d = 0; d < dags; d++) {
      List<PbLink> links = new ArrayList<>(FANOUT);
      List<Block> dagBlocks = new ArrayList<>(FANOUT + 1);
      for (int k = 0; k < FANOUT; k++) {
        Block leaf = block(0, (long) d * (FANOUT + 1) + k, size);
        links.add(new PbLink(leaf.cid(), "", (long) leaf.size()));
        dagBlocks.add(leaf);
      }
      byte[] bytes = DagPb.encode(new PbNode(links, ByteBuffer.allocate(8).putLong(d).array()));
      Block root = new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
      dagBlocks.add(root);
      batch.addAll(dagBlocks);
      if (d % 100 < pinnedPercent) {
        pins.add(new Pin(root.cid(), PinType.RECURSIVE, -1, "", null));
        dagBlocks.forEach(b -> pinned.add(b.cid()));
      }
      if (batch.size() >= 1000 || d == dags - 1) {
        store.putBatch(List.copyOf(batch)).join();
        pinner.store().putAll(pins);
        batch.clear();
        pins.clear();
      }
    }
    return pinned;
  }

  /** One client putting new blocks back to back, recording each put's latency. */
  private static final class Putter {
    private final MultiTierBlockstore store;
    private final int size;
    private final long seed;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long[] nanos = new long[1 << 16];
    private volatile int count;
    final List<Cid> cids = new ArrayList<>();

    Putter(MultiTierBlockstore store, int size, long seed) {
      this.store = store;
      this.size = size;
      this.seed = seed;
    }

    void start() {
      Thread t = new Thread(() -> {
        try {
          for (long i = 0; running.get(); i++) {
            Block b = block(seed, i, size);
            long t0 = System.nanoTime();
            store.put(b).join();
            long took = System.nanoTime() - t0;
            if (count == nanos.length) {
              nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = took;
            cids.add(b.cid());
          }
          done.complete(null);
        } catch (Throwable e) {
          done.completeExceptionally(e);
        }
      }, "gc-load-putter");
      t.start();
    }

    void stop() {
      running.set(false);
      done.join();
    }

    void print(String phase) {
      long[] sorted = Arrays.copyOf(nanos, count);
      Arrays.sort(sorted);
      System.out.printf("{\"phase\":\"%s\",\"puts\":%d,\"p50us\":%.1f,\"p90us\":%.1f,\"p99us\":%.1f,\"p999us\":%.1f,"
          + "\"maxus\":%.1f}%n", phase, count, pct(sorted, 0.5), pct(sorted, 0.9), pct(sorted, 0.99), pct(sorted, 0.999),
          count == 0 ? 0 : sorted[count - 1] / 1e3);
    }

    private static double pct(long[] sorted, double q) {
      return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e3;
    }
  }
}
