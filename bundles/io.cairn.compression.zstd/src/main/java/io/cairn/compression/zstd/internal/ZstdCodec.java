package io.cairn.compression.zstd.internal;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.CorruptBlockException;
import org.osgi.service.component.annotations.Component;

/**
 * One zstd frame (RFC 8878) per block on zstd-jni, the JNI binding of the reference C library. Its
 * native code comes through zstd-jni's own Bundle-NativeCode, so on a platform that header does not
 * list the bundle does not resolve, rather than failing at the first block. The frame keeps zstd's
 * content size but no content checksum: the record has its own checksum and original length.
 *
 * <p>Levels 1-9 map to zstd's 1-19 so that, on a 256 KiB block (a UnixFS chunk; zstd's parameter
 * table for inputs up to 256 KB), each level but 3 moves to the next zstd search strategy and so buys a
 * different trade; 3 stays zstd's own default:
 * <table>
 *   <caption>Cairn level to zstd level</caption>
 *   <tr><th>level</th><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td><td>8</td><td>9</td></tr>
 *   <tr><th>zstd</th><td>1</td><td>2</td><td>3</td><td>5</td><td>7</td><td>9</td><td>12</td><td>15</td><td>19</td></tr>
 *   <tr><th>strategy at 256 KiB</th><td>fast</td><td>dfast</td><td>dfast</td><td>greedy</td><td>lazy</td><td>lazy2</td><td>btlazy2</td><td>btopt</td><td>btultra2</td></tr>
 * </table>
 * 19 is the top of zstd's normal range; the "ultra" levels 20-22 add larger windows, which a block of
 * at most 2 MiB cannot use, and deeper searches at a much higher cost.
 *
 * <p>Stateless: a native context per call, closed at once, so no native memory outlives a call.
 * Decompression writes into an array of exactly the recorded length, so a frame that would decode to
 * more fails inside zstd (destination too small) instead of growing.
 */
@Component(property = CompressionCodec.CODEC + "=" + ZstdCodec.NAME)
public class ZstdCodec implements CompressionCodec {
  static final String NAME = "zstd";
  /** Stored in records; never reused for another codec. */
  static final int ID = 3;
  /** zstd's level for each Cairn level; index: level - 1. */
  static final int[] ZSTD_LEVELS = {1, 2, 3, 5, 7, 9, 12, 15, 19};

  @Override
  public int id() {
    return ID;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte[] compress(byte[] data, int level) {
    CompressionCodec.checkLevel(level);
    try (ZstdCompressCtx zstd = new ZstdCompressCtx()) {
      return zstd.setLevel(ZSTD_LEVELS[level - 1]).compress(data);
    }
  }

  @Override
  public byte[] decompress(byte[] compressed, int originalLength) {
    if (originalLength < 0) {
      throw new CorruptBlockException(null, "a negative original length " + originalLength);
    }
    byte[] out = new byte[originalLength];
    int filled;
    try (ZstdDecompressCtx zstd = new ZstdDecompressCtx()) {
      filled = zstd.decompressByteArray(out, 0, originalLength, compressed, 0, compressed.length);
    } catch (ZstdException e) {
      throw new CorruptBlockException(null, "malformed zstd data: " + e.getMessage());
    }
    if (filled != originalLength) {
      throw new CorruptBlockException(null, "zstd data ended after " + filled + " of " + originalLength + " bytes");
    }
    return out;
  }
}
