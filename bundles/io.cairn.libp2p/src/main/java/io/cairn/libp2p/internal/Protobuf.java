package io.cairn.libp2p.internal;

import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The few protobuf wire-format operations identify needs (varint and length-delimited fields); the
 * varints are {@link Varint}'s protobuf varints.
 */
final class Protobuf {
  static final int VARINT = 0;
  static final int LENGTH_DELIMITED = 2;

  private Protobuf() {}

  static void writeVarint(ByteBuf out, long value) {
    Varint.encodeProtobuf(value, out::writeByte);
  }

  static void writeBytes(ByteBuf out, int field, byte[] value) {
    writeVarint(out, (long) field << 3 | LENGTH_DELIMITED);
    writeVarint(out, value.length);
    out.writeBytes(value);
  }

  static void writeString(ByteBuf out, int field, String value) {
    writeBytes(out, field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a varint of at most 10 bytes; throws on truncation or overflow. */
  static long readVarint(ByteBuf in) {
    try {
      return Varint.decodeProtobuf(() -> in.isReadable() ? in.readByte() & 0xff : -1);
    } catch (InvalidVarintException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Reads a length-delimited value, checking the length against what is there before copying. */
  static byte[] readBytes(ByteBuf in) {
    long length = readVarint(in);
    if (length < 0 || length > in.readableBytes()) {
      throw new IllegalArgumentException("field length " + length + " exceeds the " + in.readableBytes() + " bytes left");
    }
    byte[] value = new byte[(int) length];
    in.readBytes(value);
    return value;
  }

  /** Skips a field of the given wire type (unknown fields are allowed and ignored). */
  static void skip(ByteBuf in, int wireType) {
    switch (wireType) {
      case VARINT -> readVarint(in);
      case 1 -> skipFixed(in, 8);
      case LENGTH_DELIMITED -> {
        long length = readVarint(in);
        if (length < 0 || length > in.readableBytes()) {
          throw new IllegalArgumentException("field length " + length + " exceeds the " + in.readableBytes() + " bytes left");
        }
        in.skipBytes((int) length);
      }
      case 5 -> skipFixed(in, 4);
      default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
    }
  }

  private static void skipFixed(ByteBuf in, int n) {
    if (in.readableBytes() < n) {
      throw new IllegalArgumentException("truncated fixed field");
    }
    in.skipBytes(n);
  }
}
