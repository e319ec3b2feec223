package io.cairn.car.internal;

import io.cairn.blockstore.Block;
import io.cairn.car.CarFormatException;
import io.cairn.car.CarHeader;
import io.cairn.car.CarLimits;
import io.cairn.car.CarReader;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.Varint;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A CAR reader over a stream. Every length is checked against the limits before it is allocated, every
 * block is hashed against its CID before it is returned, and a stream that ends inside a header or section
 * is a {@link CarFormatException} naming where that header or section began: a truncated archive is never
 * taken for a shorter whole one. A CARv2 is read through its v1 data payload (its index is skipped).
 */
public final class StreamingCarReader implements CarReader {
  /** A CARv2's fixed header after the pragma: 16 bytes of characteristics, then three little-endian u64s. */
  private static final int V2_HEADER_BYTES = 40;
  private static final byte SHA2_256 = 0x12;
  private static final byte SHA2_256_LENGTH = 32;

  private final Input in;
  private final CarLimits limits;
  private final CarHeader header;
  private long blocks;
  private long blockBytes;

  private StreamingCarReader(Input in, CarLimits limits, CarHeader header) {
    this.in = in;
    this.limits = limits;
    this.header = header;
  }

  public static StreamingCarReader open(InputStream stream, CarLimits limits) throws IOException {
    Input in = new Input(stream instanceof BufferedInputStream ? stream : new BufferedInputStream(stream, 64 * 1024));
    CarHeaderCodec.Decoded first = readHeader(in, limits);
    if (first.version() == 1) {
      return new StreamingCarReader(in, limits, new CarHeader(1, requireRoots(first, 0)));
    }
    if (first.version() != 2) {
      throw new CarFormatException(0, "unsupported CAR version " + first.version() + " (versions 1 and 2 are read)");
    }
    if (first.roots() != null) {
      throw new CarFormatException(0, "a CARv2 pragma carries no roots");
    }
    long v2Start = in.pos;
    byte[] fixed = new byte[V2_HEADER_BYTES];
    if (in.readFully(fixed) < fixed.length) {
      throw new CarFormatException(v2Start, "CARv2 header truncated");
    }
    long dataOffset = littleEndian(fixed, 16);
    long dataSize = littleEndian(fixed, 24);
    if (dataOffset < in.pos || dataSize < 0 || dataOffset + dataSize < dataOffset) {
      throw new CarFormatException(v2Start, "CARv2 data payload offset " + dataOffset + " and size " + dataSize
          + " are not a range after the header");
    }
    if (in.skipFully(dataOffset - in.pos) < dataOffset - v2Start - V2_HEADER_BYTES) {
      throw new CarFormatException(v2Start, "CARv2 ends before its data payload at " + dataOffset);
    }
    in.limit = dataOffset + dataSize;
    CarHeaderCodec.Decoded inner = readHeader(in, limits);
    if (inner.version() != 1) {
      throw new CarFormatException(dataOffset, "a CARv2 payload must be a CAR v1, not version " + inner.version());
    }
    return new StreamingCarReader(in, limits, new CarHeader(2, requireRoots(inner, dataOffset)));
  }

  private static java.util.List<Cid> requireRoots(CarHeaderCodec.Decoded h, long offset) throws CarFormatException {
    if (h.roots() == null) {
      throw new CarFormatException(offset, "CAR v1 header has no roots field");
    }
    return h.roots();
  }

  private static CarHeaderCodec.Decoded readHeader(Input in, CarLimits limits) throws IOException {
    long start = in.pos;
    long length;
    try {
      length = in.varint();
    } catch (InvalidVarintException e) {
      throw new CarFormatException(start, "bad header length varint: " + e.getMessage());
    }
    if (length < 0) {
      throw new CarFormatException(start, "stream ends before the CAR header");
    }
    if (length == 0 || length > limits.maxHeaderBytes()) {
      throw new CarFormatException(start, "header length " + length + " is outside 1 to " + limits.maxHeaderBytes()
          + " bytes");
    }
    byte[] bytes = new byte[(int) length];
    if (in.readFully(bytes) < bytes.length) {
      throw new CarFormatException(start, "header truncated: " + length + " bytes announced");
    }
    try {
      return CarHeaderCodec.decode(bytes);
    } catch (CarHeaderCodec.Malformed e) {
      throw new CarFormatException(start, "malformed CAR header: " + e.getMessage());
    }
  }

  @Override
  public CarHeader header() {
    return header;
  }

  @Override
  public Block next() throws IOException {
    long start = in.pos;
    long length;
    try {
      length = in.varint();
    } catch (InvalidVarintException e) {
      throw new CarFormatException(start, "bad section length varint: " + e.getMessage());
    }
    if (length < 0) {
      return null;
    }
    long max = (long) limits.maxBlockBytes() + Cid.DEFAULT_MAX_LENGTH;
    if (length == 0 || length > max) {
      throw new CarFormatException(start, "section length " + length + " is outside 1 to " + max
          + " bytes (the largest block accepted plus the longest CID)");
    }
    long sectionStart = in.pos;
    Cid cid = readCid(start, length);
    long dataLength = length - (in.pos - sectionStart);
    if (dataLength > limits.maxBlockBytes()) {
      throw new CarFormatException(start, "block " + cid + " of " + dataLength + " bytes is over the limit of "
          + limits.maxBlockBytes());
    }
    byte[] data = new byte[(int) dataLength];
    if (in.readFully(data) < data.length) {
      throw new CarFormatException(start, "section truncated: block " + cid + " of " + dataLength
          + " bytes announced, the stream ended first");
    }
    Block block = new Block(cid, data);
    boolean ok;
    try {
      ok = block.verify();
    } catch (MultiformatException e) {
      throw new CarFormatException(start, "block " + cid + " cannot be verified: " + e.getMessage());
    }
    if (!ok) {
      throw new CarFormatException(start, "block does not hash to its CID " + cid);
    }
    blocks++;
    blockBytes += data.length;
    return block;
  }

  /** Reads the section's CID from the stream, byte by byte within the section, without reading past it. */
  private Cid readCid(long start, long sectionLength) throws IOException {
    CidBytes c = new CidBytes(start, (int) Math.min(Cid.DEFAULT_MAX_LENGTH, sectionLength));
    c.read(1);
    if (c.bytes[0] == SHA2_256) {
      // A CIDv0: a bare sha2-256 multihash; Cid.fromBytes checks the length byte.
      c.read(1 + SHA2_256_LENGTH);
    } else {
      // A CIDv1: version and codec, then the multihash's code and digest length, then the digest.
      long digestLength;
      try {
        c.varint();
        c.varint();
        digestLength = c.varint();
      } catch (InvalidVarintException e) {
        throw new CarFormatException(start, "malformed CID in section: " + e.getMessage());
      }
      if (digestLength > c.bound - c.n) {
        throw new CarFormatException(start, "CID in section claims a " + digestLength + "-byte digest: longer than the "
            + "section or the " + Cid.DEFAULT_MAX_LENGTH + "-byte CID limit");
      }
      c.read((int) digestLength);
    }
    try {
      return Cid.fromBytes(Arrays.copyOf(c.bytes, c.n));
    } catch (MultiformatException e) {
      throw new CarFormatException(start, "malformed CID in section: " + e.getMessage());
    }
  }

  /** A section's CID as it is read: never past the section, the CID limit or the stream's end. */
  private final class CidBytes implements Varint.ByteSource<IOException> {
    final byte[] bytes = new byte[Cid.DEFAULT_MAX_LENGTH];
    final long start;
    final int bound;
    int n;

    CidBytes(long start, int bound) {
      this.start = start;
      this.bound = bound;
    }

    void read(int count) throws IOException {
      if (n + count > bound) {
        throw new CarFormatException(start, "CID in section runs past the section or the " + Cid.DEFAULT_MAX_LENGTH
            + "-byte CID limit");
      }
      if (in.readFully(bytes, n, count) < count) {
        throw new CarFormatException(start, "section truncated inside its CID");
      }
      n += count;
    }

    @Override
    public int next() throws IOException {
      read(1);
      return bytes[n - 1] & 0xff;
    }

    long varint() throws IOException {
      return Varint.decode(this, Varint.MAX_LENGTH, true, Long.MAX_VALUE);
    }
  }

  private static long littleEndian(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[at + i] & 0xff);
    }
    return v;
  }

  @Override
  public long offset() {
    return in.pos;
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public long blockBytes() {
    return blockBytes;
  }

  @Override
  public void close() throws IOException {
    in.in.close();
  }

  /** The stream with its position counted, ending early at {@link #limit} (a CARv2's payload end). */
  private static final class Input {
    final InputStream in;
    long pos;
    long limit = Long.MAX_VALUE;

    Input(InputStream in) {
      this.in = in;
    }

    /** A varint, or -1 at the end of the stream (or payload) before its first byte. */
    long varint() throws IOException {
      long first = pos;
      long value = Varint.decode(this::read, Varint.MAX_LENGTH, true, Long.MAX_VALUE);
      if (value == Varint.INCOMPLETE && pos > first) {
        throw new InvalidVarintException("varint truncated after " + (pos - first) + " byte(s)");
      }
      return value;
    }

    /** One byte, or -1 at the end of the stream (or payload). */
    int read() throws IOException {
      int b = pos < limit ? in.read() : -1;
      if (b >= 0) {
        pos++;
      }
      return b;
    }

    int readFully(byte[] b) throws IOException {
      return readFully(b, 0, b.length);
    }

    /** Reads up to {@code len} bytes, fewer only at the end; how many were read. */
    int readFully(byte[] b, int off, int len) throws IOException {
      int want = (int) Math.min(len, limit - pos);
      int n = in.readNBytes(b, off, want);
      pos += n;
      return n;
    }

    long skipFully(long n) throws IOException {
      long skipped = 0;
      while (skipped < n) {
        long s = in.skip(n - skipped);
        if (s <= 0) {
          if (in.read() < 0) {
            break;
          }
          s = 1;
        }
        skipped += s;
      }
      pos += skipped;
      return skipped;
    }
  }
}
