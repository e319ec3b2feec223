package io.cairn.bitswap.message;

import io.netty.buffer.ByteBuf;

/**
 * The protobuf wire format, as far as bitswap needs it to write: tags, varints and the sizes of both.
 * Every field of the bitswap messages has a number below 16, so every tag is one byte.
 */
final class Wire {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private Wire() {}

  static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /** @return the size of {@code value} as an unsigned varint: 1 to 10 bytes (a negative long takes 10) */
  static int varintSize(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** @return the size of an int32 field's value: protobuf sign-extends a negative int32 to 10 bytes */
  static int int32Size(int value) {
    return varintSize(value);
  }

  /** @return the size of a length-delimited field whose value is {@code length} bytes, tag included */
  static long lengthDelimitedSize(long length) {
    return 1 + varintSize(length) + length;
  }

  /** Writes {@code value} as an unsigned varint; an int32 passes through sign-extended, as protobuf writes it. */
  static void writeVarint(ByteBuf out, long value) {
    if ((value & ~0x7FL) == 0) {
      out.writeByte((int) value);
      return;
    }
    if ((value & ~0x3FFFL) == 0) {
      out.writeShort((int) ((value & 0x7F | 0x80) << 8 | value >>> 7));
      return;
    }
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) (value & 0x7F | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** Writes the tag and length of a length-delimited field; the caller writes the {@code length} bytes. */
  static void writeLengthDelimited(ByteBuf out, int field, long length) {
    out.writeByte(tag(field, LENGTH_DELIMITED));
    writeVarint(out, length);
  }
}
