package io.cairn.unixfs.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsType;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The UnixFS {@code Data} message (unixfs.proto, proto2), encoded byte for byte as go-unixfs (Kubo)
 * writes it: fields in number order, absent optionals left out, {@code blocksizes} unpacked. Decoding is
 * strict about structure (a truncated field, a wrong wire type for a known field, a missing
 * {@code Type} are errors) and skips unknown fields, as protobuf readers do.
 *
 * @param type field 1, required
 * @param data field 2, null when absent (Kubo writes none for internal file nodes and directories)
 * @param fileSize field 3, null when absent
 * @param blockSizes field 4, each child's file bytes; never null
 * @param hashType field 5 (HAMT: 0x22, murmur3-x64-64), null when absent
 * @param fanout field 6 (HAMT), null when absent
 */
record UnixFsData(UnixFsType type, byte[] data, Long fileSize, long[] blockSizes, Long hashType, Long fanout) {
  /** murmur3-x64-64, the only HAMT hash function Kubo writes or reads. */
  static final long MURMUR3_X64_64 = 0x22;

  UnixFsData {
    if (blockSizes == null) {
      blockSizes = new long[0];
    }
  }

  static UnixFsData directory() {
    return new UnixFsData(UnixFsType.DIRECTORY, null, null, null, null, null);
  }

  /** A dag-pb file leaf holding {@code chunk} (Kubo: Type, Data unless empty-and-nil, filesize). */
  static UnixFsData fileLeaf(byte[] chunk) {
    return new UnixFsData(UnixFsType.FILE, chunk.length == 0 ? null : chunk, (long) chunk.length, null, null, null);
  }

  /** An internal file node over children of these file sizes. */
  static UnixFsData fileNode(long[] blockSizes) {
    return new UnixFsData(UnixFsType.FILE, null, Arrays.stream(blockSizes).sum(), blockSizes, null, null);
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + (data == null ? 0 : data.length) + blockSizes.length * 4);
    tag(out, 1, 0);
    varint(out, type.code());
    if (data != null) {
      tag(out, 2, 2);
      varint(out, data.length);
      out.writeBytes(data);
    }
    if (fileSize != null) {
      tag(out, 3, 0);
      varint(out, fileSize);
    }
    for (long size : blockSizes) {
      tag(out, 4, 0);
      varint(out, size);
    }
    if (hashType != null) {
      tag(out, 5, 0);
      varint(out, hashType);
    }
    if (fanout != null) {
      tag(out, 6, 0);
      varint(out, fanout);
    }
    return out.toByteArray();
  }

  /** The file bytes this node stands for: its filesize if given, else its data plus its children's. */
  long contentSize() {
    if (fileSize != null) {
      return fileSize;
    }
    return (data == null ? 0 : data.length) + Arrays.stream(blockSizes).sum();
  }

  /**
   * Decodes {@code bytes}, the Data field of the dag-pb node {@code cid}.
   *
   * @param maxBlockSizes the most {@code blocksizes} entries accepted (bounded by the node's link limit)
   * @throws UnixFsException naming {@code cid} if the message is malformed
   */
  static UnixFsData decode(Cid cid, byte[] bytes, int maxBlockSizes) throws UnixFsException {
    if (bytes == null) {
      throw new UnixFsException(cid, "not a UnixFS node: the dag-pb node " + cid + " has no Data field");
    }
    Reader r = new Reader(cid, bytes);
    UnixFsType type = null;
    byte[] data = null;
    Long fileSize = null;
    Long hashType = null;
    Long fanout = null;
    long[] sizes = new long[4];
    int count = 0;
    while (r.pos < bytes.length) {
      long key = r.varint("field key");
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      if (key >>> 3 > Integer.MAX_VALUE || field == 0) {
        throw r.malformed("field number " + (key >>> 3) + " out of range");
      }
      switch (field) {
        case 1 -> {
          r.expect(wire, 0, "Type");
          long code = r.varint("Type");
          type = UnixFsType.of(code);
          if (type == null) {
            throw r.malformed("unknown Type " + code);
          }
        }
        case 2 -> {
          r.expect(wire, 2, "Data");
          data = r.bytes("Data");
        }
        case 3 -> {
          r.expect(wire, 0, "filesize");
          fileSize = r.varint("filesize");
        }
        case 4 -> {
          if (wire == 2) {
            // packed form: legal protobuf, though go-unixfs never writes it
            int end = r.length("blocksizes");
            while (r.pos < end) {
              sizes = grow(r, sizes, count, maxBlockSizes);
              sizes[count++] = r.varint("blocksizes");
            }
            if (r.pos != end) {
              throw r.malformed("truncated blocksizes");
            }
          } else {
            r.expect(wire, 0, "blocksizes");
            sizes = grow(r, sizes, count, maxBlockSizes);
            sizes[count++] = r.varint("blocksizes");
          }
        }
        case 5 -> {
          r.expect(wire, 0, "hashType");
          hashType = r.varint("hashType");
        }
        case 6 -> {
          r.expect(wire, 0, "fanout");
          fanout = r.varint("fanout");
        }
        default -> r.skip(wire, field);
      }
    }
    if (type == null) {
      throw r.malformed("the required Type field is missing");
    }
    return new UnixFsData(type, data, fileSize, Arrays.copyOf(sizes, count), hashType, fanout);
  }

  private static long[] grow(Reader r, long[] sizes, int count, int max) throws UnixFsException {
    if (count == max) {
      throw r.malformed("more than " + max + " blocksizes");
    }
    return count < sizes.length ? sizes : Arrays.copyOf(sizes, Math.min(max, sizes.length * 2));
  }

  private static void tag(ByteArrayOutputStream out, int field, int wire) {
    varint(out, (long) field << 3 | wire);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    Varint.encodeProtobuf(value, out::write);
  }

  /** A protobuf reader over one message, failing with the CID at fault. */
  private static final class Reader {
    private final Cid cid;
    private final byte[] buf;
    private int pos;

    Reader(Cid cid, byte[] buf) {
      this.cid = cid;
      this.buf = buf;
    }

    long varint(String what) throws UnixFsException {
      try {
        return Varint.decodeProtobuf(() -> pos < buf.length ? buf[pos++] & 0xff : -1);
      } catch (InvalidVarintException e) {
        throw malformed(what + ": " + e.getMessage());
      }
    }

    int length(String what) throws UnixFsException {
      long n = varint(what + " length");
      if (n > buf.length - pos) {
        throw malformed("truncated " + what + " field: " + n + " bytes declared, " + (buf.length - pos) + " left");
      }
      return pos + (int) n;
    }

    byte[] bytes(String what) throws UnixFsException {
      int end = length(what);
      byte[] b = Arrays.copyOfRange(buf, pos, end);
      pos = end;
      return b;
    }

    void expect(int wire, int expected, String field) throws UnixFsException {
      if (wire != expected) {
        throw malformed("field " + field + " has wire type " + wire + ", expected " + expected);
      }
    }

    void skip(int wire, int field) throws UnixFsException {
      switch (wire) {
        case 0 -> varint("field " + field);
        case 1 -> fixed(8, field);
        case 2 -> pos = length("field " + field);
        case 5 -> fixed(4, field);
        default -> throw malformed("field " + field + " has unsupported wire type " + wire);
      }
    }

    private void fixed(int n, int field) throws UnixFsException {
      if (buf.length - pos < n) {
        throw malformed("truncated field " + field);
      }
      pos += n;
    }

    UnixFsException malformed(String why) {
      return new UnixFsException(cid, "malformed UnixFS Data in " + cid + ": " + why);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixFsData d && type == d.type && Arrays.equals(data, d.data)
        && java.util.Objects.equals(fileSize, d.fileSize) && Arrays.equals(blockSizes, d.blockSizes)
        && java.util.Objects.equals(hashType, d.hashType) && java.util.Objects.equals(fanout, d.fanout);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(type, Arrays.hashCode(data), fileSize, Arrays.hashCode(blockSizes), hashType, fanout);
  }

  @Override
  public String toString() {
    return "UnixFsData[" + type + ", data " + (data == null ? "none" : data.length + " bytes") + ", filesize " + fileSize
        + ", " + blockSizes.length + " blocksizes, hashType " + hashType + ", fanout " + fanout + "]";
  }
}
