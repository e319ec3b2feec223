package io.cairn.compression.deflate.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.blockstore.CompressionCodec;
import io.cairn.testing.CodecContract;
import org.junit.jupiter.api.Test;

class DeflateCodecTest extends CodecContract {
  @Override
  protected CompressionCodec codec() {
    return new DeflateCodec();
  }

  @Override
  protected int expectedId() {
    return 1;
  }

  @Override
  protected String expectedName() {
    return "deflate";
  }

  @Test
  void levelNineIsSmallerThanLevelOne() {
    byte[] json = json(256 * 1024);
    assertTrue(codec.compress(json, 9).length < codec.compress(json, 1).length);
  }
}
