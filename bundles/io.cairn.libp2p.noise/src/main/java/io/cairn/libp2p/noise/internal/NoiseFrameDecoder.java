package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the inbound byte stream into Noise messages: each a 2-byte big-endian length, then that many
 * bytes. Every message goes on as a retained slice of the received bytes, without copying; the next
 * handler (the handshake, then the transport codec) owns it and releases it.
 *
 * <p>A length over the limit, or a connection that ends inside a message, fires a
 * {@link NoiseException} to the next handler and closes the channel; whatever else arrives is dropped.
 */
final class NoiseFrameDecoder extends ByteToMessageDecoder {
  static final String NAME = "noise-frames";
  static final int LENGTH_FIELD = 2;

  private final int maxFrameLength;
  private boolean failed;

  /** @param maxFrameLength the longest message accepted, at most the protocol's 65535 */
  NoiseFrameDecoder(int maxFrameLength) {
    this.maxFrameLength = maxFrameLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < LENGTH_FIELD) {
      return;
    }
    int length = in.getUnsignedShort(in.readerIndex());
    if (length > maxFrameLength) {
      fail(ctx, in, new NoiseException(Reason.FRAME_TOO_LONG,
          "frame of " + length + " bytes is over the limit of " + maxFrameLength));
      return;
    }
    if (in.readableBytes() < LENGTH_FIELD + length) {
      return;
    }
    in.skipBytes(LENGTH_FIELD);
    out.add(in.readRetainedSlice(length)); // shares the cumulation's memory; the next handler releases it
  }

  /** Called once the input ended, after every complete frame was decoded: whatever is left was cut short. */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!failed && in.isReadable()) {
      fail(ctx, in, new NoiseException(Reason.TRUNCATED_FRAME,
          "connection ended inside a frame, " + in.readableBytes() + " bytes into it"));
    }
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, NoiseException cause) {
    failed = true;
    in.skipBytes(in.readableBytes());
    ctx.fireExceptionCaught(cause);
    ctx.close();
  }
}
