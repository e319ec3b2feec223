package io.cairn.compression.zstd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.testing.CodecContract;
import org.junit.jupiter.api.Test;

class ZstdCodecTest extends CodecContract {
  @Override
  protected CompressionCodec codec() {
    return new ZstdCodec();
  }

  @Override
  protected int expectedId() {
    return 3;
  }

  @Override
  protected String expectedName() {
    return "zstd";
  }

  /** zstd's frame magic number, so junk reaches the frame and block decoders. */
  @Override
  protected byte[] junkPrefix() {
    return new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
  }

  /** Not every step is smaller (zstd 7 can lose to zstd 1 on high-entropy JSON), but the ends are. */
  @Test
  void higherLevelsTradeSpeedForSize() {
    byte[] json = json(256 * 1024);
    int fastest = codec.compress(json, 1).length;
    int smallest = codec.compress(json, 9).length;
    assertTrue(smallest < fastest, "zstd 19 beats zstd 1: " + smallest + " vs " + fastest);
    assertEquals(Zstd.defaultCompressionLevel(), ZstdCodec.ZSTD_LEVELS[2], "level 3 is zstd's default");
    assertTrue(ZstdCodec.ZSTD_LEVELS[8] < Zstd.maxCompressionLevel(), "level 9 stays below the ultra levels");
  }
}
