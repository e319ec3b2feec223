package io.cairn.blockstore;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A compression codec, a service with the property {@value #CODEC} (its name). Every stored record
 * names the codec that wrote it by {@link #id()}, so a block written by one codec stays readable after
 * the write codec becomes another; a store refuses to lose a codec that still has blocks.
 */
@ConsumerType
public interface CompressionCodec {
  /** Service property: the codec's name, e.g. {@code deflate}, {@code lz4}, {@code zstd}. */
  String CODEC = "cairn.codec";

  /** The id stored in records: fixed per codec and never reused (0 is reserved for "stored raw"). */
  int id();

  String name();

  /**
   * Compresses {@code data} at {@code level}, 1 (fastest) to 9 (smallest), mapped to the codec's own
   * scale. The result may be larger than the input; the caller decides whether to keep it.
   */
  byte[] compress(byte[] data, int level);

  /**
   * Restores data compressed by this codec whose original length is {@code originalLength} (stored
   * beside it). Never produces more than that many bytes: anything else, truncated or malformed input
   * included, is a {@link CorruptBlockException}.
   */
  byte[] decompress(byte[] compressed, int originalLength);

  /** For {@link #compress}: an {@link IllegalArgumentException} unless {@code level} is 1-9. */
  static void checkLevel(int level) {
    if (level < 1 || level > 9) {
      throw new IllegalArgumentException("compression level " + level + " is outside 1-9");
    }
  }
}
