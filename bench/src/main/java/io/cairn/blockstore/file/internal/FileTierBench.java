package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable puts into the file tier beside the hardware's own figure, same run, same disk: a raw
 * {@link FileChannel} appending the same bytes and forcing once per batch. Also the index alone (MapDB
 * inserts for a batch's CIDs), so MapDB's share of a put is a measured figure.
 *
 * <p>Scores are blocks per second ({@code @OperationsPerInvocation} is not usable with a batch size
 * parameter, so each benchmark returns one batch and the score is batches/s × batch). Blocks get
 * distinct CIDs from a counter, not from hashing, so the figure is the store's cost, not SHA-256's.
 * The folder is {@code -Dcairn.bench.dir} (default: the system temp folder), deleted after each trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class FileTierBench {
  /** 1 KiB blocks in batches of 1000 and 256 KiB blocks in batches of 32 (8 MiB per force). */
  @Param({"1024:1000", "262144:32"})
  public String shape;

  private int blockSize;
  private int batch;
  private byte[] data;
  private long counter;
  private Path dir;
  private FileStore store;
  private FileChannel raw;
  private ByteBuffer rawBatch;
  private BlockIndex index;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    String[] parts = shape.split(":");
    blockSize = Integer.parseInt(parts[0]);
    batch = Integer.parseInt(parts[1]);
    data = new byte[blockSize];
    new Random(1).nextBytes(data);
    dir = Files.createTempDirectory(Path.of(System.getProperty("cairn.bench.dir", System.getProperty("java.io.tmpdir"))),
        "cairn-file-bench");
    store = FileStore.open(new FileTierSettings("ssd", 100, dir.resolve("tier"), Long.MAX_VALUE / 4, 0, 256 << 20, 0.5,
        3_600_000, false, "lz4", 1, 10, 4096, 2048), codecs(), events());
    raw = FileChannel.open(dir.resolve("raw.dat"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    // The raw side writes exactly the bytes the store's records take: header, CID, payload, CRC.
    int record = RecordFormat.recordLength(nextCid().encodedLength(), blockSize);
    rawBatch = ByteBuffer.allocateDirect(record * batch);
    index = BlockIndex.open(Files.createDirectories(dir.resolve("index-only")), "none");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    raw.close();
    index.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private Cid nextCid() {
    byte[] digest = new byte[32];
    ByteBuffer.wrap(digest).putLong(++counter).putLong(System.identityHashCode(this));
    return Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256.code(), digest));
  }

  private List<Block> nextBatch() {
    List<Block> blocks = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      blocks.add(new Block(nextCid(), data));
    }
    return blocks;
  }

  /** The tier: one putMany of a batch, waited on until durable. Score × batch = blocks/s. */
  @Benchmark
  public void storePutMany() {
    store.putMany(nextBatch()).join();
  }

  /** The ceiling: the same bytes appended with one write and one force per batch. */
  @Benchmark
  public void rawAppendForce() throws IOException {
    rawBatch.clear();
    for (int i = 0; i < batch; i++) {
      rawBatch.put(data, 0, Math.min(data.length, rawBatch.remaining()));
    }
    rawBatch.position(0);
    while (rawBatch.hasRemaining()) {
      raw.write(rawBatch);
    }
    raw.force(false);
  }

  /** MapDB alone: a batch of index inserts, as the writer makes them for a put. */
  @Benchmark
  public void indexOnly() {
    for (int i = 0; i < batch; i++) {
      index.put(nextCid().toBytes(), new Location(1, counter, 0, blockSize, blockSize));
    }
  }

  static FileStore.Codecs codecs() {
    return new FileStore.Codecs() {
      @Override
      public CompressionCodec byId(int id) {
        return null;
      }

      @Override
      public CompressionCodec byName(String name) {
        return null;
      }
    };
  }

  static FileStore.Events events() {
    return new FileStore.Events() {
      @Override
      public void info(String message) {
      }

      @Override
      public void warn(String message) {
        System.err.println(message);
      }
    };
  }
}
