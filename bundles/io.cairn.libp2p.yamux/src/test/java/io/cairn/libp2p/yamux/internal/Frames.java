package io.cairn.libp2p.yamux.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Raw frames for feeding a session, and the frames a session wrote, parsed back. */
final class Frames {
  private Frames() {}

  /** A frame written by hand, any field allowed: the test's own buffer, handed to whoever it is fed to. */
  static ByteBuf raw(int version, int type, int flags, long streamId, long length, byte[] body) {
    ByteBuf buf = Unpooled.buffer(YamuxFrame.HEADER_LENGTH + body.length);
    buf.writeByte(version).writeByte(type).writeShort(flags).writeInt((int) streamId).writeInt((int) length);
    return buf.writeBytes(body);
  }

  static ByteBuf header(int type, int flags, long streamId, long length) {
    return raw(YamuxFrame.VERSION, type, flags, streamId, length, new byte[0]);
  }

  static ByteBuf data(int flags, long streamId, byte[] body) {
    return raw(YamuxFrame.VERSION, YamuxFrame.TYPE_DATA, flags, streamId, body.length, body);
  }

  record Sent(int type, int flags, long streamId, long length, byte[] body) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    boolean isGoAway(long code) {
      return type == YamuxFrame.TYPE_GO_AWAY && length == code;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Sent s && s.type == type && s.flags == flags && s.streamId == streamId
          && s.length == length && java.util.Arrays.equals(s.body, body);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(type, flags, streamId, length, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
      return "Sent[type=" + type + ", flags=" + flags + ", stream=" + streamId + ", length=" + length + ", body="
          + io.netty.buffer.ByteBufUtil.hexDump(body) + "]";
    }
  }

  /** Every frame the channel wrote, in order; the buffers are released. */
  static List<Sent> drain(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    try {
      ByteBuf out;
      while ((out = channel.readOutbound()) != null) {
        all.writeBytes(out);
        out.release();
      }
      List<Sent> frames = new ArrayList<>();
      while (all.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
        all.skipBytes(1);
        int type = all.readUnsignedByte();
        int flags = all.readUnsignedShort();
        long id = all.readUnsignedInt();
        long length = all.readUnsignedInt();
        byte[] body = new byte[type == YamuxFrame.TYPE_DATA ? (int) length : 0];
        all.readBytes(body);
        frames.add(new Sent(type, flags, id, length, body));
      }
      return frames;
    } finally {
      all.release();
    }
  }
}
