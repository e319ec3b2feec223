package io.cairn.libp2p.yamux.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One yamux frame: the 12-byte header's fields and, for a data frame, its body. {@code length} is the
 * header's unsigned 32-bit length field: the body length of a data frame, the credit of a window update,
 * the opaque value of a ping, the code of a go-away.
 *
 * <p>Ownership: a frame owns its {@code data}; whoever holds the frame releases it (or hands the data
 * on and says so). Reference counting delegates to the data, so a frame that falls through a pipeline
 * is released like a buffer.
 */
record YamuxFrame(int type, int flags, int streamId, long length, ByteBuf data) implements ReferenceCounted {
  static final int HEADER_LENGTH = 12;
  static final int VERSION = 0;

  static final int TYPE_DATA = 0;
  static final int TYPE_WINDOW_UPDATE = 1;
  static final int TYPE_PING = 2;
  static final int TYPE_GO_AWAY = 3;

  static final int FLAG_SYN = 1;
  static final int FLAG_ACK = 2;
  static final int FLAG_FIN = 4;
  static final int FLAG_RST = 8;
  static final int KNOWN_FLAGS = FLAG_SYN | FLAG_ACK | FLAG_FIN | FLAG_RST;

  static final long GO_AWAY_NORMAL = 0;
  static final long GO_AWAY_PROTOCOL_ERROR = 1;
  static final long GO_AWAY_INTERNAL_ERROR = 2;

  /** Every stream starts with this receive window, both ways (spec); only window updates change it. */
  static final int INITIAL_WINDOW = 256 * 1024;
  /** The length field and every window are unsigned 32-bit. */
  static final long MAX_WINDOW = 0xFFFF_FFFFL;

  /** A data frame carrying {@code data}, whose ownership passes to the frame. */
  static YamuxFrame data(int flags, int streamId, ByteBuf data) {
    return new YamuxFrame(TYPE_DATA, flags, streamId, data.readableBytes(), data);
  }

  static YamuxFrame windowUpdate(int flags, int streamId, long credit) {
    return new YamuxFrame(TYPE_WINDOW_UPDATE, flags, streamId, credit, null);
  }

  static YamuxFrame ping(int flags, long opaque) {
    return new YamuxFrame(TYPE_PING, flags, 0, opaque, null);
  }

  static YamuxFrame goAway(long code) {
    return new YamuxFrame(TYPE_GO_AWAY, 0, 0, code, null);
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** The stream id as the wire has it: unsigned. */
  long unsignedStreamId() {
    return Integer.toUnsignedLong(streamId);
  }

  @Override
  public int refCnt() {
    return data == null ? 1 : data.refCnt();
  }

  @Override
  public YamuxFrame retain() {
    if (data != null) {
      data.retain();
    }
    return this;
  }

  @Override
  public YamuxFrame retain(int increment) {
    if (data != null) {
      data.retain(increment);
    }
    return this;
  }

  @Override
  public YamuxFrame touch() {
    if (data != null) {
      data.touch();
    }
    return this;
  }

  @Override
  public YamuxFrame touch(Object hint) {
    if (data != null) {
      data.touch(hint);
    }
    return this;
  }

  @Override
  public boolean release() {
    return data != null && data.release();
  }

  @Override
  public boolean release(int decrement) {
    return data != null && data.release(decrement);
  }

  @Override
  public String toString() {
    return "YamuxFrame[type=" + type + ", flags=" + flags + ", stream=" + unsignedStreamId() + ", length=" + length + "]";
  }
}
