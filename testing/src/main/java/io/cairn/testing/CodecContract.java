package io.cairn.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.CorruptBlockException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link CompressionCodec} must do, as tests: a codec's test class extends this and adds
 * what is its own (level mapping, format details). Round trips at every level, text and JSON shrink,
 * levels outside 1-9 refused, and decompression that yields exactly the recorded length or a
 * {@link CorruptBlockException}: wrong lengths, truncation at every offset, trailing bytes, a bomb,
 * random junk and damaged real blocks (fixed-seed fuzzing).
 */
public abstract class CodecContract {
  protected final CompressionCodec codec = codec();

  protected abstract CompressionCodec codec();

  protected abstract int expectedId();

  protected abstract String expectedName();

  /** Bytes junk starts with every other time, so it reaches past a format's magic number; none by default. */
  protected byte[] junkPrefix() {
    return new byte[0];
  }

  public static byte[] text() {
    return "the quick brown fox jumps over the lazy dog; ".repeat(2000).getBytes(StandardCharsets.UTF_8);
  }

  /** JSON-like records whose numbers and names vary, so it compresses well but not trivially. */
  public static byte[] json(int size) {
    Random random = new Random(3);
    StringBuilder out = new StringBuilder(size + 200);
    while (out.length() < size) {
      out.append("{\"cid\":{\"/\":\"bafkrei").append(Long.toString(random.nextLong() & Long.MAX_VALUE, 32))
          .append("\"},\"size\":").append(random.nextInt(1 << 20))
          .append(",\"links\":[],\"name\":\"chunk-").append(random.nextInt(10_000)).append("\"},\n");
    }
    return Arrays.copyOf(out.toString().getBytes(StandardCharsets.UTF_8), size);
  }

  public static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(1).nextBytes(b);
    return b;
  }

  static Stream<Arguments> everyLevelOnEverySample() {
    Object[][] samples = {
        {"empty", new byte[0]},
        {"one byte", new byte[] {42}},
        {"text", text()},
        {"json", json(64 * 1024)},
        {"random", random(256 * 1024)},
        {"2 MiB json", json(2 * 1024 * 1024)},
    };
    return IntStream.rangeClosed(1, 9).boxed()
        .flatMap(level -> Arrays.stream(samples).map(s -> Arguments.of(level, s[0], s[1])));
  }

  @ParameterizedTest(name = "level {0}, {1}")
  @MethodSource("io.cairn.testing.CodecContract#everyLevelOnEverySample")
  void roundTripsAtEveryLevel(int level, String sample, byte[] data) {
    assertArrayEquals(data, codec.decompress(codec.compress(data, level), data.length));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 9})
  void textAndJsonShrink(int level) {
    byte[] text = text();
    byte[] json = json(64 * 1024);
    assertTrue(codec.compress(text, level).length < text.length / 10, "text shrinks");
    assertTrue(codec.compress(json, level).length < json.length * 2 / 3, "json shrinks");
  }

  @Test
  void wrongLengthsTruncationAndGarbageAreCorruptNeverPartial() {
    byte[] data = text();
    byte[] packed = codec.compress(data, 5);
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, data.length + 1));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, data.length - 1));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, 0));
    for (int cut = 0; cut < packed.length; cut++) {
      byte[] truncated = Arrays.copyOf(packed, cut);
      assertThrows(CorruptBlockException.class, () -> codec.decompress(truncated, data.length), "cut at " + cut);
    }
    byte[] trailing = Arrays.copyOf(packed, packed.length + 3);
    assertThrows(CorruptBlockException.class, () -> codec.decompress(trailing, data.length));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(new byte[] {(byte) 0xff, 0x12, 0x34}, 10));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, -1));
  }

  @Test
  void aBombIsCutAtTheRecordedLength() {
    byte[] zeros = new byte[16 * 1024 * 1024];
    byte[] bomb = codec.compress(zeros, 5);
    assertTrue(bomb.length < zeros.length / 64, "zeros compress: " + bomb.length);
    assertThrows(CorruptBlockException.class, () -> codec.decompress(bomb, 1024));
  }

  @Test
  void levelsOutsideOneToNineAreRefusedAndTheIdIsFixed() {
    for (int level : new int[] {0, 10, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      assertThrows(IllegalArgumentException.class, () -> codec.compress(new byte[1], level), "level " + level);
    }
    assertEquals(expectedId(), codec.id());
    assertEquals(expectedName(), codec.name());
  }

  @Test
  void randomInputOnlyEverFailsAsCorrupt() {
    Random random = new Random(5);
    byte[] prefix = junkPrefix();
    for (int i = 0; i < 3000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      if (i % 2 == 0 && junk.length >= prefix.length) {
        System.arraycopy(prefix, 0, junk, 0, prefix.length);
      }
      assertExactLengthOrCorrupt(junk, random.nextInt(400));
    }
  }

  /** Bit flips, overwritten bytes, cuts and splices of a real block: the damage a disk or a bug does. */
  @Test
  void damagedBlocksOnlyEverFailAsCorrupt() {
    Random random = new Random(7);
    byte[] data = json(8 * 1024);
    byte[] packed = codec.compress(data, 5);
    for (int i = 0; i < 4000; i++) {
      byte[] damaged = packed.clone();
      switch (i % 4) {
        case 0 -> {
          for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
            damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
        case 2 -> damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
        default -> {
          int from = random.nextInt(damaged.length);
          int to = random.nextInt(damaged.length);
          int n = random.nextInt(Math.min(64, damaged.length - Math.max(from, to)) + 1);
          System.arraycopy(packed, from, damaged, to, n);
        }
      }
      int length = random.nextInt(8) == 0 ? random.nextInt(2 * data.length) : data.length;
      assertExactLengthOrCorrupt(damaged, length);
    }
  }

  /** Any other exception type fails the test; so does output of another length. */
  private void assertExactLengthOrCorrupt(byte[] input, int originalLength) {
    try {
      assertEquals(originalLength, codec.decompress(input, originalLength).length);
    } catch (CorruptBlockException expected) {
      // the only acceptable failure
    }
  }
}
