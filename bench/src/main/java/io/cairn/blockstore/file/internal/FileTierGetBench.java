package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockstoreException;
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
 * Cold gets from the file tier (no memory tier in front) beside raw positional reads of the same
 * record lengths at the same spread of offsets in one file, same run, 2 threads. "Cold" is Cairn's:
 * the OS page cache holds the files in both cases (256 MiB of data on a 24 GiB machine), so both sides
 * measure the CPU path, not the disk. Also the index lookup alone, MapDB's share of a get.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class FileTierGetBench {
  @Param({"1024", "262144"})
  public int blockSize;

  private Path dir;
  private FileStore store;
  private Cid[] cids;
  private byte[][] keys;
  private FileChannel raw;
  private int recordLength;
  private long rawRecords;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    int count = (int) Math.min(200_000, (256L << 20) / blockSize);
    dir = Files.createTempDirectory(Path.of(System.getProperty("cairn.bench.dir", System.getProperty("java.io.tmpdir"))),
        "cairn-get-bench");
    store = FileStore.open(new FileTierSettings("ssd", 100, dir.resolve("tier"), Long.MAX_VALUE / 4, 0, 256 << 20, 0.5,
        3_600_000, false, "lz4", 1, 10, 4096, 2048), FileTierBench.codecs(), FileTierBench.events());
    byte[] data = new byte[blockSize];
    new Random(2).nextBytes(data);
    cids = new Cid[count];
    keys = new byte[count][];
    List<Block> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] digest = new byte[32];
      ByteBuffer.wrap(digest).putLong(i + 1);
      cids[i] = Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256.code(), digest));
      keys[i] = cids[i].toBytes();
      batch.add(new Block(cids[i], data));
      if (batch.size() == 256) {
        store.putMany(batch).join();
        batch = new ArrayList<>();
      }
    }
    store.putMany(batch).join();
    recordLength = RecordFormat.recordLength(keys[0].length, blockSize);
    Path rawFile = dir.resolve("raw.dat");
    try (FileChannel out = FileChannel.open(rawFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer record = ByteBuffer.allocate(recordLength);
      for (long i = 0; i < count; i++) {
        record.clear();
        out.write(record, i * recordLength);
      }
    }
    rawRecords = count;
    raw = FileChannel.open(rawFile, StandardOpenOption.READ);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    raw.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The tier: index lookup, one positional read of the record, header and CRC32C checks, payload copy. */
  @Benchmark
  public Block storeGet() throws BlockstoreException {
    return store.get(cids[ThreadLocalRandom.current().nextInt(cids.length)]);
  }

  /** The ceiling: one positional read of a record's length into a new array, at a random record. */
  @Benchmark
  public byte[] rawPositionalRead() throws IOException {
    byte[] record = new byte[recordLength];
    ByteBuffer dst = ByteBuffer.wrap(record);
    long at = ThreadLocalRandom.current().nextLong(rawRecords) * recordLength;
    while (dst.hasRemaining()) {
      at += raw.read(dst, at);
    }
    return record;
  }

  /** MapDB alone: the index lookup a get starts with. */
  @Benchmark
  public Location indexLookup() {
    return storeIndex().get(keys[ThreadLocalRandom.current().nextInt(keys.length)]);
  }

  private BlockIndex storeIndex() {
    return store.index();
  }
}
