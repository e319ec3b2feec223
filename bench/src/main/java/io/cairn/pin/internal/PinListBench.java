package io.cairn.pin.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner.Pin;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code pin/ls?stream=true&type=recursive} over 1,000,000 recursive pins, in pins per second, beside
 * the baseline of the same run: iterating the same MapDB B-tree's raw entries (what reading the store
 * costs at least). {@code decoded} adds decoding each entry to a {@link Pin} (the pinner's
 * {@link PinStore#stream}); {@code ndjson} adds the line pin/ls writes for it ({@code {"Cid","Type"}}, the CID
 * in its string form) into a discarding stream, so the three scores split the cost between MapDB, decoding
 * and encoding. The store is written once per trial in {@code -Dcairn.bench.dir} (default: the temp folder).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class PinListBench {
  static final int PINS = 1_000_000;

  private Path dir;
  private PinStore store;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory(Path.of(System.getProperty("cairn.bench.dir", System.getProperty("java.io.tmpdir"))),
        "cairn-pin-bench");
    store = PinStore.open(dir);
    List<Pin> batch = new ArrayList<>(10_000);
    for (int i = 0; i < PINS; i++) {
      batch.add(new Pin(cid(i), PinType.RECURSIVE, -1, "", null));
      if (batch.size() == 10_000) {
        store.putAll(batch);
        batch.clear();
      }
    }
  }

  /** A distinct CIDv1 (raw, sha2-256) per index; hashed once in setup, never during measurement. */
  static Cid cid(int i) {
    byte[] seed = ("pin-" + i).getBytes(StandardCharsets.UTF_8);
    return Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, seed));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(PINS)
  public long rawEntries(Blackhole bh) {
    long n = 0;
    for (Iterator<Map.Entry<byte[], byte[]>> it = store.rawEntries(PinType.RECURSIVE); it.hasNext(); n++) {
      bh.consume(it.next());
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(PINS)
  public long decoded(Blackhole bh) {
    long n = 0;
    try (Stream<Pin> pins = store.stream(PinType.RECURSIVE)) {
      for (Iterator<Pin> it = pins.iterator(); it.hasNext(); n++) {
        bh.consume(it.next());
      }
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(PINS)
  public long ndjson() throws IOException {
    long n = 0;
    OutputStream out = OutputStream.nullOutputStream();
    StringBuilder line = new StringBuilder(128);
    try (Stream<Pin> pins = store.stream(PinType.RECURSIVE)) {
      for (Iterator<Pin> it = pins.iterator(); it.hasNext(); n++) {
        Pin p = it.next();
        line.setLength(0);
        line.append("{\"Cid\":\"").append(p.cid()).append("\",\"Type\":\"").append(p.type().kuboName()).append("\"}\n");
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return n;
  }
}
