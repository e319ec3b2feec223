package io.cairn.bitswap.message;

import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;

/**
 * The protobuf wire format, as far as bitswap needs it to write: tags, varints and the sizes of both.
 * Every field of the bitswap messages has a number below 16, so every tag is one byte. The varints are
 * {@link Varint}'s protobuf varints.
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
    return Varint.protobufLength(value);
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
    Varint.encodeProtobuf(value, out::writeByte);
  }

  /** Writes the tag and length of a length-delimited field; the caller writes the {@code length} bytes. */
  static void writeLengthDelimited(ByteBuf out, int field, long length) {
    out.writeByte(tag(field, LENGTH_DELIMITED));
    writeVarint(out, length);
  }
}
