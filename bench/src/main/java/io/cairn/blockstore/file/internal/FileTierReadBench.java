package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The file tier's get as the tier serves it, three ways in one run: on the caller's thread (the tier
 * before issue 13: {@code completedFuture(store.get(cid))}), on the tier's {@link ReadExecutor}
 * (platform threads, now), and on a virtual thread per read (the alternative not taken). One caller
 * waiting for each get (latency), and two callers with 64 gets in flight each (throughput, as the
 * bitswap engine asks). The OS page cache holds the data, so this is the cost of the hand-off, not of
 * a disk: the disk's own queue depth, which only the threads can use, is not measured here.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class FileTierReadBench {
  private static final int IN_FLIGHT = 64;

  @Param({"1024", "262144"})
  public int blockSize;

  @Param({"caller", "platform", "virtual"})
  public String thread;

  private Path dir;
  private FileStore store;
  private Cid[] cids;
  private ReadExecutor platform;
  private ExecutorService virtual;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    int count = (int) Math.min(100_000, (128L << 20) / blockSize);
    dir = Files.createTempDirectory(Path.of(System.getProperty("cairn.bench.dir", System.getProperty("java.io.tmpdir"))),
        "cairn-read-bench");
    store = FileStore.open(new FileTierSettings("ssd", 100, dir.resolve("tier"), Long.MAX_VALUE / 4, 0, 256 << 20, 0.5,
        3_600_000, false, "lz4", 1, 10, 4096, 2048), FileTierBench.codecs(), FileTierBench.events());
    byte[] data = new byte[blockSize];
    new Random(3).nextBytes(data);
    cids = new Cid[count];
    List<Block> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] digest = new byte[32];
      ByteBuffer.wrap(digest).putLong(i + 1);
      cids[i] = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256.code(), digest));
      batch.add(new Block(cids[i], data));
      if (batch.size() == 256) {
        store.putMany(batch).join();
        batch = new ArrayList<>();
      }
    }
    store.putMany(batch).join();
    store.awaitIndexed();
    platform = new ReadExecutor("ssd", 2048);
    virtual = Executors.newVirtualThreadPerTaskExecutor();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    platform.close(10_000);
    virtual.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private CompletableFuture<Block> get(Cid cid) {
    return switch (thread) {
      case "caller" -> {
        try {
          yield CompletableFuture.completedFuture(store.get(cid));
        } catch (BlockstoreException e) {
          yield CompletableFuture.failedFuture(e);
        }
      }
      case "platform" -> platform.submit(() -> store.get(cid));
      case "virtual" -> {
        CompletableFuture<Block> done = new CompletableFuture<>();
        virtual.execute(() -> {
          try {
            done.complete(store.get(cid));
          } catch (BlockstoreException e) {
            done.completeExceptionally(e);
          }
        });
        yield done;
      }
      default -> throw new IllegalArgumentException(thread);
    };
  }

  private Cid any() {
    return cids[ThreadLocalRandom.current().nextInt(cids.length)];
  }

  /** One caller, one get at a time: what the hand-off adds to a get's latency. */
  @Benchmark
  @Threads(1)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Block oneGet() {
    return get(any()).join();
  }

  /** Two callers (the machine's cores), 64 gets in flight each: gets per second are ops × 64. */
  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int gets64InFlight() {
    List<CompletableFuture<Block>> reads = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      reads.add(get(any()));
    }
    int bytes = 0;
    for (CompletableFuture<Block> r : reads) {
      bytes += r.join().size();
    }
    return bytes;
  }
}
