package io.cairn.libp2p.internal;

import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Reads identify messages (each a uvarint length, then the protobuf) until the peer closes its side,
 * merging them (go-libp2p may split one identify into parts). Bounded: each message by
 * {@code maxMessage} (checked from the length before waiting for it), the parts by {@link #MAX_PARTS}.
 * Owns the bytes it accumulates and releases them.
 */
final class IdentifyReader extends ChannelInboundHandlerAdapter {
  static final int MAX_PARTS = 10;

  private final int maxMessage;
  final CompletableFuture<IdentifyMessage> result = new CompletableFuture<>();
  private ByteBuf pending;
  private IdentifyMessage merged;
  private int parts;

  IdentifyReader(int maxMessage) {
    this.maxMessage = maxMessage;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (result.isDone()) {
      in.release();
      return;
    }
    if (pending == null) {
      pending = ctx.alloc().buffer(Math.min(maxMessage + 8, 1024));
    }
    try {
      if (pending.readableBytes() + in.readableBytes() > maxMessage + 8) {
        in.release();
        fail(ctx, "identify message over " + maxMessage + " bytes");
        return;
      }
      pending.writeBytes(in);
    } finally {
      if (in.refCnt() > 0) {
        in.release();
      }
    }
    try {
      parseComplete();
    } catch (IllegalArgumentException e) {
      fail(ctx, "malformed identify message: " + e.getMessage());
    }
  }

  private void parseComplete() {
    while (pending.isReadable()) {
      int start = pending.readerIndex();
      long length;
      try {
        // Not required minimal: go-msgio reads the prefix as protobuf does.
        length = Varint.decode(() -> pending.isReadable() ? pending.readByte() & 0xff : -1, Varint.MAX_LENGTH, false,
            Long.MAX_VALUE);
      } catch (InvalidVarintException e) {
        throw new IllegalArgumentException("message length " + e.getMessage(), e);
      }
      if (length == Varint.INCOMPLETE) {
        pending.readerIndex(start);
        return;
      }
      if (length > maxMessage) {
        throw new IllegalArgumentException("identify message of " + length + " bytes is over the limit of " + maxMessage);
      }
      if (pending.readableBytes() < length) {
        pending.readerIndex(start);
        return;
      }
      if (++parts > MAX_PARTS) {
        throw new IllegalArgumentException("more than " + MAX_PARTS + " identify messages");
      }
      IdentifyMessage part = IdentifyMessage.read(pending.readSlice((int) length));
      merged = part.mergedInto(merged);
    }
    pending.discardReadBytes();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      finish(ctx);
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    finish(ctx);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause.toString());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePending();
  }

  private void finish(ChannelHandlerContext ctx) {
    if (merged == null) {
      fail(ctx, "the peer closed the identify stream without a message");
      return;
    }
    if (pending != null && pending.isReadable()) {
      fail(ctx, "the identify stream ended inside a message");
      return;
    }
    releasePending();
    if (result.complete(merged)) {
      ctx.close();
    }
  }

  private void fail(ChannelHandlerContext ctx, String why) {
    releasePending();
    if (result.completeExceptionally(new IllegalArgumentException(why))) {
      if (ctx.channel() instanceof io.cairn.libp2p.StreamChannel stream) {
        stream.reset(); // a broken identify is not worth a graceful close
      } else {
        ctx.close();
      }
    }
  }

  private void releasePending() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
