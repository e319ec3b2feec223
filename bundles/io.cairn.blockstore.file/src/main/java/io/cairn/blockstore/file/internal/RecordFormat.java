package io.cairn.blockstore.file.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk record and segment layouts. Big-endian throughout.
 *
 * <pre>
 * segment: "CAIRNSEG" (8) | format version u32 | segment id u32 | records...
 * record:  magic u32 | kind u8 | codec u8 | cid length u16 | original length u32 | stored length u32
 *          | header CRC32C u32 (over the 16 bytes before it and the CID) | CID | payload
 *          | payload CRC32C u32
 * </pre>
 *
 * The header has its own checksum so a scan can trust the lengths before it skips a payload: a record
 * whose header fails is where the readable log ends (a torn tail), while one whose payload fails is a
 * damaged block that the scan steps over. A tombstone is a record of kind {@link #TOMBSTONE} with an
 * empty payload.
 */
final class RecordFormat {
  static final byte[] SEGMENT_MAGIC = {'C', 'A', 'I', 'R', 'N', 'S', 'E', 'G'};
  static final int SEGMENT_VERSION = 1;
  static final int SEGMENT_HEADER = 16;

  static final int MAGIC = 0x43524E31; // "CRN1"
  static final byte BLOCK = 1;
  static final byte TOMBSTONE = 2;
  static final int HEADER = 20;
  static final int TRAILER = 4;
  /** LIMITS.md: CIDs above 168 bytes are refused everywhere, so a longer one here is damage. */
  static final int MAX_CID = 168;
  /**
   * The largest payload a record may claim. Above any block size the store accepts (the tiered store
   * caps at 64 MiB): a larger length in a header is damage, and a scan must not allocate for it.
   */
  static final int MAX_PAYLOAD = 64 << 20;

  private RecordFormat() {}

  static int recordLength(int cidLength, int storedLength) {
    return HEADER + cidLength + storedLength + TRAILER;
  }

  static void writeSegmentHeader(ByteBuffer out, int segmentId) {
    out.put(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).putInt(segmentId);
  }

  /** The segment id in a segment header, or -1 when the header is not one of ours. */
  static int readSegmentHeader(ByteBuffer in) {
    if (in.remaining() < SEGMENT_HEADER) {
      return -1;
    }
    for (byte b : SEGMENT_MAGIC) {
      if (in.get() != b) {
        return -1;
      }
    }
    return in.getInt() == SEGMENT_VERSION ? in.getInt() : -1;
  }

  /** Writes one whole record into {@code out}, which must have {@link #recordLength} bytes free. */
  static void writeRecord(ByteBuffer out, byte kind, int codec, byte[] cid, int originalLength, byte[] payload,
      int payloadLength) {
    int start = out.position();
    out.putInt(MAGIC).put(kind).put((byte) codec).putShort((short) cid.length)
        .putInt(originalLength).putInt(payloadLength);
    CRC32C crc = new CRC32C();
    crc.update(out.duplicate().position(start).limit(start + 16));
    crc.update(cid);
    out.putInt((int) crc.getValue()).put(cid).put(payload, 0, payloadLength);
    crc.reset();
    crc.update(payload, 0, payloadLength);
    out.putInt((int) crc.getValue());
  }

  /**
   * A record header read back: checked for magic, kind, codec range, lengths within the limits, and
   * its checksum. {@code offset} is where the record starts in its segment.
   */
  record Header(long offset, byte kind, int codec, byte[] cid, int originalLength, int storedLength) {
    long payloadOffset() {
      return offset + HEADER + cid.length;
    }

    long end() {
      return offset + recordLength(cid.length, storedLength);
    }
  }

  /** Thrown when bytes that should be a record header are not one. */
  static final class BadHeader extends Exception {
    private static final long serialVersionUID = 1L;

    BadHeader(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses the header at the position of {@code in}, which holds at least {@link #HEADER} bytes and
   * then whatever of the CID the file has (up to {@link #MAX_CID} bytes). Every field is checked
   * before it is trusted; anything else is a {@link BadHeader}.
   */
  static Header readHeader(ByteBuffer in, long offset) throws BadHeader {
    int start = in.position();
    if (in.getInt() != MAGIC) {
      throw new BadHeader("no record magic at offset " + offset);
    }
    byte kind = in.get();
    int codec = in.get() & 0xFF;
    int cidLength = in.getShort() & 0xFFFF;
    int originalLength = in.getInt();
    int storedLength = in.getInt();
    int headerCrc = in.getInt();
    if (kind != BLOCK && kind != TOMBSTONE) {
      throw new BadHeader("unknown record kind " + kind + " at offset " + offset);
    }
    if (cidLength == 0 || cidLength > MAX_CID) {
      throw new BadHeader("CID length " + cidLength + " at offset " + offset + " is outside 1-" + MAX_CID);
    }
    if (originalLength < 0 || originalLength > MAX_PAYLOAD || storedLength < 0 || storedLength > MAX_PAYLOAD) {
      throw new BadHeader("record lengths " + originalLength + "/" + storedLength + " at offset " + offset
          + " are outside 0-" + MAX_PAYLOAD);
    }
    if (in.remaining() < cidLength) {
      throw new BadHeader("record header at offset " + offset + " is cut short");
    }
    byte[] cid = new byte[cidLength];
    in.get(cid);
    CRC32C crc = new CRC32C();
    crc.update(in.duplicate().position(start).limit(start + 16));
    crc.update(cid);
    if ((int) crc.getValue() != headerCrc) {
      throw new BadHeader("record header checksum mismatch at offset " + offset);
    }
    return new Header(offset, kind, codec, cid, originalLength, storedLength);
  }

  static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }
}
