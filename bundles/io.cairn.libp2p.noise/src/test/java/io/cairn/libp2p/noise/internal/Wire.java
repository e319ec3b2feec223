package io.cairn.libp2p.noise.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Two {@link EmbeddedChannel}s back to back, as if a TCP connection joined them. */
final class Wire {
  final EmbeddedChannel a;
  final EmbeddedChannel b;

  Wire() {
    this(new EmbeddedChannel(), new EmbeddedChannel());
  }

  Wire(EmbeddedChannel a, EmbeddedChannel b) {
    this.a = a;
    this.b = b;
  }

  /** Carries written bytes both ways until neither side writes more; a side that closed closes the other. */
  void pump() {
    boolean moved;
    do {
      moved = carry(a, b) | carry(b, a);
    } while (moved);
    if (!a.isOpen() || !b.isOpen()) {
      a.close();
      b.close();
    }
  }

  private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
    boolean moved = false;
    for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
      moved = true;
      if (to.isOpen()) {
        to.writeInbound(bytes); // the receiving pipeline owns it now
      } else {
        bytes.release();
      }
    }
    return moved;
  }

  /** Everything {@code from} wrote and nobody carried yet, joined in one buffer the caller owns. */
  static ByteBuf written(EmbeddedChannel from) {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
      all.writeBytes(bytes);
      bytes.release();
    }
    return all;
  }

  /** A Noise frame: the 2-byte length, then {@code message}; the caller owns it. */
  static ByteBuf frame(byte[] message) {
    return Unpooled.buffer(2 + message.length).writeShort(message.length).writeBytes(message);
  }

  /** The message of the one frame {@code from} wrote; the frame is released. */
  static byte[] message(EmbeddedChannel from) {
    ByteBuf all = written(from);
    try {
      int length = all.readUnsignedShort();
      if (all.readableBytes() != length) {
        throw new AssertionError("expected one frame of " + length + " bytes, found " + all.readableBytes());
      }
      byte[] message = new byte[length];
      all.readBytes(message);
      return message;
    } finally {
      all.release();
    }
  }
}
