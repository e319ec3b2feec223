package io.cairn.car.internal;

import io.cairn.blockstore.Block;
import io.cairn.car.CarLimits;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CAR throughput over one 32 MiB archive of raw sha2-256 blocks (1 KiB or 256 KiB each), beside the
 * same run's baselines. One operation is the whole archive, so bytes/s = ops/s x {@value #CAR_BYTES}
 * (plus the sections' overhead, which {@link #setup} checks is under 4%).
 *
 * <ul>
 * <li>{@code read}: {@link StreamingCarReader} over the archive's bytes, every block hash-verified.</li>
 * <li>{@code write}: {@link StreamingCarWriter} of the blocks to a sink that copies what it is given into
 * a 64 KiB buffer, round and round (memory bandwidth, no I/O).</li>
 * <li>{@code baselineCopy}: the raw copy of the same bytes: the archive read from its stream 64 KiB at a
 * time into the same sink (what reading and writing cost without parsing, framing or hashing).</li>
 * <li>{@code baselineHash}: SHA-256 of every block's bytes with the JDK's MessageDigest (what verifying
 * costs without reading: the reader's ceiling).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CarBench {
  static final int CAR_BYTES = 32 << 20;

  @Param({"1024", "262144"})
  public int blockSize;

  private List<Block> blocks;
  private List<Cid> roots;
  private byte[] car;
  private MessageDigest sha256;
  private final CopySink sink = new CopySink();
  private final byte[] buffer = new byte[64 * 1024];

  @Setup
  public void setup() throws IOException, NoSuchAlgorithmException {
    Random random = new Random(42);
    blocks = new ArrayList<>();
    for (int i = 0; i < CAR_BYTES / blockSize; i++) {
      byte[] data = new byte[blockSize];
      random.nextBytes(data);
      blocks.add(new Block(Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data)), data));
    }
    roots = List.of(blocks.get(0).cid());
    ByteArrayOutputStream out = new ByteArrayOutputStream(CAR_BYTES + CAR_BYTES / 8);
    try (StreamingCarWriter w = new StreamingCarWriter(out, roots)) {
      for (Block b : blocks) {
        w.write(b);
      }
    }
    car = out.toByteArray();
    if (car.length > CAR_BYTES * 1.04) {
      throw new IllegalStateException("section overhead over 4%: " + car.length + " bytes");
    }
    if (read() != blocks.size()) {
      throw new IllegalStateException("the reader did not read back every block");
    }
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public long read() throws IOException {
    long n = 0;
    try (StreamingCarReader r = StreamingCarReader.open(new ByteArrayInputStream(car), CarLimits.DEFAULT)) {
      while (r.next() != null) {
        n++;
      }
    }
    return n;
  }

  @Benchmark
  public long write() throws IOException {
    try (StreamingCarWriter w = new StreamingCarWriter(sink, roots)) {
      for (Block b : blocks) {
        w.write(b);
      }
      return w.offset();
    }
  }

  @Benchmark
  public long baselineCopy() throws IOException {
    InputStream in = new ByteArrayInputStream(car);
    long total = 0;
    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
      sink.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  /** Copies every byte it is given into one 64 KiB buffer, wrapping around: a write costs its memcpy. */
  static final class CopySink extends OutputStream {
    private final byte[] ring = new byte[64 * 1024];
    private int at;

    @Override
    public void write(int b) {
      ring[at] = (byte) b;
      at = (at + 1) % ring.length;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      while (len > 0) {
        int n = Math.min(len, ring.length - at);
        System.arraycopy(b, off, ring, at, n);
        at = (at + n) % ring.length;
        off += n;
        len -= n;
      }
    }
  }

  @Benchmark
  public int baselineHash() {
    int x = 0;
    for (Block b : blocks) {
      x ^= sha256.digest(b.data())[0];
    }
    return x;
  }
}
