package io.cairn.compression.deflate.internal;

import io.cairn.blockstore.CompressionCodec;
import java.nio.charset.StandardCharsets;
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
 * A codec on one 256 KiB block (a UnixFS chunk) of text, JSON or random bytes, at levels 1, 5 and 9,
 * beside the memory ceiling (System.arraycopy of the same block) in the same run. MB/s = ops/s x
 * 0.262; the compression ratio of each case is printed at setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CodecBench {
  static final int SIZE = 256 * 1024;

  @Param({"text", "json", "random"})
  public String data;

  @Param({"1", "5", "9"})
  public int level;

  private final CompressionCodec codec = new DeflateCodec();
  private byte[] block;
  private byte[] packed;
  private final byte[] copy = new byte[SIZE];

  @Setup
  public void setup() {
    block = switch (data) {
      case "text" -> fill("It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. ");
      case "json" -> fill("{\"cid\":{\"/\":\"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\"},\"size\":1024,\"links\":[],\"name\":\"chunk-0001\"},");
      default -> {
        byte[] b = new byte[SIZE];
        new Random(1).nextBytes(b);
        yield b;
      }
    };
    packed = codec.compress(block, level);
    System.out.printf("%n[ratio] %s %s level %d: %d -> %d bytes (%.3f)%n", codec.name(), data, level, SIZE, packed.length,
        packed.length / (double) SIZE);
  }

  private static byte[] fill(String pattern) {
    byte[] unit = pattern.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[SIZE];
    Random r = new Random(2);
    for (int i = 0; i < SIZE; i++) {
      // a little noise, as real text and JSON are not one repeated line
      b[i] = (i % 97 == 0) ? (byte) ('a' + r.nextInt(26)) : unit[i % unit.length];
    }
    return b;
  }

  @Benchmark
  public byte[] compress() {
    return codec.compress(block, level);
  }

  @Benchmark
  public byte[] decompress() {
    return codec.decompress(packed, SIZE);
  }

  @Benchmark
  public byte[] ceilingArrayCopy() {
    System.arraycopy(block, 0, copy, 0, SIZE);
    return copy;
  }
}
