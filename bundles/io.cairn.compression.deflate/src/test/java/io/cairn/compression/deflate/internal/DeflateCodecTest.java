package io.cairn.compression.deflate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.CorruptBlockException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeflateCodecTest {
  private final DeflateCodec codec = new DeflateCodec();

  private static byte[] text() {
    return "the quick brown fox jumps over the lazy dog; ".repeat(2000).getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 9})
  void roundTripsTextAndShrinksIt(int level) {
    byte[] data = text();
    byte[] packed = codec.compress(data, level);
    assertTrue(packed.length < data.length / 10, "text shrinks: " + packed.length);
    assertArrayEquals(data, codec.decompress(packed, data.length));
  }

  @Test
  void roundTripsRandomAndEmptyData() {
    byte[] random = new byte[256 * 1024];
    new Random(1).nextBytes(random);
    assertArrayEquals(random, codec.decompress(codec.compress(random, 5), random.length));
    assertArrayEquals(new byte[0], codec.decompress(codec.compress(new byte[0], 5), 0));
  }

  @Test
  void wrongLengthsTruncationAndGarbageAreCorruptNeverPartial() {
    byte[] data = text();
    byte[] packed = codec.compress(data, 5);
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, data.length + 1));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, data.length - 1));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(Arrays.copyOf(packed, packed.length / 2), data.length));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(new byte[] {(byte) 0xff, 0x12, 0x34}, 10));
    assertThrows(CorruptBlockException.class, () -> codec.decompress(packed, -1));
  }

  @Test
  void aBombIsCutAtTheRecordedLength() {
    byte[] zeros = new byte[16 * 1024 * 1024];
    byte[] bomb = codec.compress(zeros, 9);
    assertTrue(bomb.length < 64 * 1024);
    assertThrows(CorruptBlockException.class, () -> codec.decompress(bomb, 1024));
  }

  @Test
  void levelsOutsideOneToNineAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> codec.compress(new byte[1], 0));
    assertThrows(IllegalArgumentException.class, () -> codec.compress(new byte[1], 10));
    assertEquals(1, codec.id());
  }

  @Test
  void randomInputOnlyEverFailsAsCorrupt() {
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[random.nextInt(100)];
      random.nextBytes(junk);
      try {
        codec.decompress(junk, random.nextInt(200));
      } catch (CorruptBlockException expected) {
        // the only acceptable failure
      }
    }
  }
}
