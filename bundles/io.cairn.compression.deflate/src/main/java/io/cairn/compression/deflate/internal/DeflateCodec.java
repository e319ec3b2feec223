package io.cairn.compression.deflate.internal;

import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.CorruptBlockException;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.osgi.service.component.annotations.Component;

/**
 * Raw deflate (RFC 1951, no zlib header: the record already has a checksum) on the JDK's zlib.
 * Levels 1-9 are zlib's own. Stateless: a Deflater/Inflater per call, ended at once, so no native
 * memory outlives a call.
 */
@Component(property = CompressionCodec.CODEC + "=" + DeflateCodec.NAME)
public class DeflateCodec implements CompressionCodec {
  static final String NAME = "deflate";
  /** Stored in records; never reused for another codec. */
  static final int ID = 1;

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
    Deflater deflater = new Deflater(level, true);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
      byte[] buffer = new byte[Math.min(64 * 1024, Math.max(64, data.length + 64))];
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  @Override
  public byte[] decompress(byte[] compressed, int originalLength) {
    if (originalLength < 0) {
      throw new CorruptBlockException(null, "a negative original length " + originalLength);
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(compressed);
      byte[] out = new byte[originalLength];
      int filled = 0;
      while (filled < originalLength) {
        int n = inflater.inflate(out, filled, originalLength - filled);
        if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        filled += n;
      }
      if (filled != originalLength) {
        throw new CorruptBlockException(null, "deflate data ended after " + filled + " of " + originalLength + " bytes");
      }
      // More output than recorded would mean the record and its data disagree: never serve that.
      byte[] probe = new byte[1];
      if (!inflater.finished() && inflater.inflate(probe) > 0) {
        throw new CorruptBlockException(null, "deflate data holds more than the recorded " + originalLength + " bytes");
      }
      // A stream cut short after its last data byte still yields every byte: its missing end marker is
      // the only sign, and a cut record must not pass for a whole one.
      if (!inflater.finished()) {
        throw new CorruptBlockException(null, "deflate data ends before its final block does");
      }
      if (inflater.getRemaining() > 0) {
        throw new CorruptBlockException(null, "deflate data is followed by " + inflater.getRemaining() + " stray bytes");
      }
      return out;
    } catch (DataFormatException e) {
      throw new CorruptBlockException(null, "malformed deflate data: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }
}
