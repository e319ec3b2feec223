package io.cairn.bitswap.message;

import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;

/**
 * Reads the protobuf wire format from a buffer region by absolute index, never past the end the caller
 * gives (the end of the message or of the enclosing sub-message), and never moving the buffer's own
 * indices. Every failure is a {@link MalformedMessageException} naming the part being read and the byte
 * offset from the start of the region.
 */
final class WireReader {
  private final ByteBuf buf;
  private final int base;
  private int pos;
  private String part;
  private int index = -1;

  WireReader(ByteBuf buf, int start, String part) {
    this.buf = buf;
    this.base = start;
    this.pos = start;
    this.part = part;
  }

  int position() {
    return pos;
  }

  /** Names what is being read, for error messages; {@code index} below 0 means it has none. */
  void enter(String part, int index) {
    this.part = part;
    this.index = index;
  }

  /** Reads a protobuf varint ({@link Varint#decodeProtobuf}: up to 10 bytes, 64 bits, minimal or not). */
  long varint(int end) {
    try {
      return Varint.decodeProtobuf(() -> pos < end ? buf.getByte(pos++) & 0xff : -1);
    } catch (InvalidVarintException e) {
      throw malformed(e.getMessage());
    }
  }

  /**
   * Reads a multiformats unsigned varint: minimally encoded, at most {@value Varint#MAX_LENGTH} bytes.
   */
  long uvarint(int end) {
    int start = pos;
    long value;
    try {
      value = Varint.decode(() -> pos < end ? buf.getByte(pos++) & 0xff : -1, Varint.MAX_LENGTH, true, Long.MAX_VALUE);
    } catch (InvalidVarintException e) {
      pos = start;
      throw malformed("unsigned " + e.getMessage());
    }
    if (value == Varint.INCOMPLETE) {
      throw malformed("truncated varint");
    }
    return value;
  }

  /** @return the next field's tag: a field number of 1 or more and a wire type */
  int tag(int end) {
    int start = pos;
    long tag = varint(end);
    if (tag >>> 32 != 0 || tag >>> 3 == 0) {
      pos = start;
      throw malformed("invalid field tag " + Long.toUnsignedString(tag));
    }
    return (int) tag;
  }

  /** Checks that a known field came with the wire type its definition gives it. */
  void expect(int tag, int wireType, String field) {
    if ((tag & 7) != wireType) {
      throw malformed(field + " (field " + (tag >>> 3) + ") has wire type " + (tag & 7) + ", not " + wireType);
    }
  }

  /** Reads a length prefix and checks that many bytes remain before {@code end}. */
  int length(int end) {
    long length = varint(end);
    if (Long.compareUnsigned(length, end - pos) > 0) {
      throw malformed("length " + Long.toUnsignedString(length) + " runs past the end (" + (end - pos) + " bytes left)");
    }
    return (int) length;
  }

  /** Moves to {@code position}, for a field whose value is read after the fields that follow it. */
  void seek(int position) {
    pos = position;
  }

  void skipBytes(int count) {
    pos += count;
  }

  /** Skips the value of a field this reader does not know, by its wire type. */
  void skip(int tag, int end) {
    switch (tag & 7) {
      case Wire.VARINT -> varint(end);
      case Wire.FIXED64 -> fixed(8, end);
      case Wire.LENGTH_DELIMITED -> {
        int length = length(end);
        pos += length;
      }
      case Wire.FIXED32 -> fixed(4, end);
      default -> throw malformed("unsupported wire type " + (tag & 7) + " (field " + (tag >>> 3) + ")");
    }
  }

  private void fixed(int size, int end) {
    if (end - pos < size) {
      throw malformed("truncated " + size * 8 + "-bit field");
    }
    pos += size;
  }

  /** @return a new array holding {@code length} bytes from {@code at} */
  byte[] bytes(int at, int length) {
    byte[] bytes = new byte[length];
    buf.getBytes(at, bytes);
    return bytes;
  }

  MalformedMessageException malformed(String what) {
    return malformed(what, null);
  }

  MalformedMessageException malformed(String what, Throwable cause) {
    String where = index < 0 ? part : part + " " + index;
    return new MalformedMessageException(where + ": " + what + " (at byte " + (pos - base) + ")", cause);
  }
}
