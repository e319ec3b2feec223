package io.cairn.compression.lz4.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.testing.CodecContract;
import org.junit.jupiter.api.Test;

class Lz4CodecTest extends CodecContract {
  @Override
  protected CompressionCodec codec() {
    return new Lz4Codec();
  }

  @Override
  protected int expectedId() {
    return 2;
  }

  @Override
  protected String expectedName() {
    return "lz4";
  }

  @Test
  void higherLevelsTradeSpeedForSize() {
    byte[] json = json(256 * 1024);
    int fast = codec.compress(json, 1).length;
    int hcDefault = codec.compress(json, 5).length;
    int hcMax = codec.compress(json, 9).length;
    assertTrue(hcDefault < fast, "HC beats the fast compressor: " + hcDefault + " vs " + fast);
    assertTrue(hcMax <= hcDefault, "HC 17 is no worse than HC 9: " + hcMax + " vs " + hcDefault);
    assertEquals(9, Lz4Codec.hcLevel(5), "level 5 is lz4 HC's default");
    assertEquals(17, Lz4Codec.hcLevel(9), "level 9 is lz4-java's maximum");
  }

  /** An lz4 block always holds at least its end token: zero bytes are not an encoding of anything. */
  @Test
  void noBytesAreNotAnEmptyBlock() {
    assertThrows(CorruptBlockException.class, () -> codec.decompress(new byte[0], 0));
  }
}
