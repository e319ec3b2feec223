package io.cairn.libp2p.yamux.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Stream handlers for the tests. */
final class Handlers {
  private Handlers() {}

  /** Writes back what it reads; half-closes when the peer does. */
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ((YamuxStreamChannel) ctx.channel()).closeWrite();
      }
      ReferenceCountUtil.release(evt);
    }
  }

  /** Keeps a checksum (and, up to a limit, a copy) of what it reads, and what happened to the stream. */
  static final class Collector extends ChannelInboundHandlerAdapter {
    final CRC32 crc = new CRC32();
    final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    final List<Boolean> writability = new ArrayList<>();
    long bytes;
    int reads;
    int readCompletes;
    boolean inputShutdown;
    boolean inactive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        crc.update(bytes);
        this.bytes += bytes.length;
        reads++;
        if (copy.size() < 1 << 20) {
          copy.writeBytes(bytes);
        }
      } finally {
        buf.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      readCompletes++;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        inputShutdown = true;
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      writability.add(ctx.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inactive = true;
    }

    String text() {
      return copy.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
