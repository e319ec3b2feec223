package io.cairn.compression.lz4.internal;

import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.CorruptBlockException;
import java.util.stream.IntStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.osgi.service.component.annotations.Component;

/**
 * The lz4 block format (no frame: the record already has a checksum and the original length) on
 * lz4-java's pure Java <em>safe</em> instance, for compressing and decompressing alike:
 * <ul>
 *   <li>decompression: the safe decompressor checks every read and write against the buffers, so a
 *       corrupt or hostile record becomes an {@link LZ4Exception}, never an access outside them (the
 *       out-of-bounds reads of CVE-2025-12183 were in the JNI and Unsafe fast decompressors); each
 *       call gets a new output array, so the buffer-reuse leak of CVE-2025-66566 cannot apply either;</li>
 *   <li>compression: under OSGi {@code fastestInstance()} never picks the JNI instance (it wants the
 *       system class loader) and the Unsafe instance now falls back to the safe one, so naming the
 *       safe instance says what runs; it also leaves no native library in the temporary directory
 *       and no {@code sun.misc.Unsafe} use, which JDK 24+ warns about.</li>
 * </ul>
 * Levels 1-9 map to lz4's own scale, one step per level, 5 being lz4 HC's default:
 * <table>
 *   <caption>Cairn level to lz4 compressor</caption>
 *   <tr><th>level</th><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td><td>8</td><td>9</td></tr>
 *   <tr><th>lz4</th><td>fast</td><td>HC 3</td><td>HC 5</td><td>HC 7</td><td>HC 9</td><td>HC 11</td><td>HC 13</td><td>HC 15</td><td>HC 17</td></tr>
 * </table>
 * The fast compressor has no acceleration setting in the Java instances (only the JNI fast-reset
 * compressor has one), so level 1 alone uses it. HC level {@code n} tries up to 2<sup>n-1</sup>
 * match candidates per position; 17 is lz4-java's maximum. Stateless: the compressors and the
 * decompressor are thread-safe and allocate their tables per call.
 */
@Component(property = CompressionCodec.CODEC + "=" + Lz4Codec.NAME)
public class Lz4Codec implements CompressionCodec {
  static final String NAME = "lz4";
  /** Stored in records; never reused for another codec. */
  static final int ID = 2;

  private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();
  /** Index: level - 1. */
  private static final LZ4Compressor[] COMPRESSORS = IntStream.rangeClosed(1, 9)
      .mapToObj(level -> level == 1 ? LZ4.fastCompressor() : LZ4.highCompressor(hcLevel(level)))
      .toArray(LZ4Compressor[]::new);
  private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4.safeDecompressor();

  /** lz4 HC's level for a Cairn level of 2 to 9 (see the table above). */
  static int hcLevel(int level) {
    return 2 * level - 1;
  }

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
    return COMPRESSORS[level - 1].compress(data);
  }

  @Override
  public byte[] decompress(byte[] compressed, int originalLength) {
    if (originalLength < 0) {
      throw new CorruptBlockException(null, "a negative original length " + originalLength);
    }
    byte[] out = new byte[originalLength];
    int filled;
    try {
      // Bounded by originalLength: data that would decode to more fails here instead of growing.
      filled = DECOMPRESSOR.decompress(compressed, 0, compressed.length, out, 0, originalLength);
    } catch (LZ4Exception e) {
      throw new CorruptBlockException(null, "malformed lz4 data: " + e.getMessage());
    }
    if (filled != originalLength) {
      throw new CorruptBlockException(null, "lz4 data ended after " + filled + " of " + originalLength + " bytes");
    }
    return out;
  }
}
