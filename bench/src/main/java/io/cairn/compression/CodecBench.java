package io.cairn.compression;

import io.cairn.blockstore.CompressionCodec;
import io.cairn.compression.deflate.internal.DeflateCodec;
import io.cairn.compression.lz4.internal.Lz4Codec;
import io.cairn.compression.zstd.internal.ZstdCodec;
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
 * Each codec (deflate, lz4, zstd) on one 256 KiB block (a UnixFS chunk) of text, JSON or random
 * bytes, at levels 1, 5 and 9, beside the memory ceiling (System.arraycopy of the same block) in the
 * same run. MB/s = ops/s x 0.262; the compression ratio of each case is printed at setup. The ceiling
 * depends on the data only, so it runs once per kind of data rather than once per codec and level.
 * zstd's native library needs native access, granted in the fork as bin/cairn grants it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CodecBench {
  static final int SIZE = 256 * 1024;

  /** The uncompressed block. */
  @State(Scope.Thread)
  public static class Block {
    @Param({"text", "json", "random"})
    public String data;

    byte[] bytes;
    final byte[] copy = new byte[SIZE];

    @Setup
    public void setup() {
      bytes = switch (data) {
        case "text" -> fill("It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. ");
        case "json" -> fill("{\"cid\":{\"/\":\"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\"},\"size\":1024,\"links\":[],\"name\":\"chunk-0001\"},");
        default -> {
          byte[] b = new byte[SIZE];
          new Random(1).nextBytes(b);
          yield b;
        }
      };
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
  }

  /** A codec at a level, and the block as it compressed it. */
  @State(Scope.Thread)
  public static class Coded {
    @Param({"deflate", "lz4", "zstd"})
    public String codec;

    @Param({"1", "5", "9"})
    public int level;

    CompressionCodec impl;
    byte[] packed;

    @Setup
    public void setup(Block block) {
      impl = switch (codec) {
        case "deflate" -> new DeflateCodec();
        case "lz4" -> new Lz4Codec();
        case "zstd" -> new ZstdCodec();
        default -> throw new IllegalArgumentException("no codec " + codec);
      };
      packed = impl.compress(block.bytes, level);
      System.out.printf("%n[ratio] %s %s level %d: %d -> %d bytes (%.3f)%n", codec, block.data, level, SIZE, packed.length,
          packed.length / (double) SIZE);
    }
  }

  @Benchmark
  public byte[] compress(Block block, Coded coded) {
    return coded.impl.compress(block.bytes, coded.level);
  }

  @Benchmark
  public byte[] decompress(Coded coded) {
    return coded.impl.decompress(coded.packed, SIZE);
  }

  @Benchmark
  public byte[] ceilingArrayCopy(Block block) {
    System.arraycopy(block.bytes, 0, block.copy, 0, SIZE);
    return block.copy;
  }
}
