package io.cairn.libp2p.yamux.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link YamuxFrame} as its 12-byte header followed by its body, as one buffer per frame
 * (a composite, so the body is not copied) so that a frame stays whole in the layer below.
 */
final class YamuxFrameEncoder extends MessageToMessageEncoder<YamuxFrame> {
  @Override
  protected void encode(ChannelHandlerContext ctx, YamuxFrame frame, List<Object> out) {
    ByteBuf header = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
    header.writeByte(YamuxFrame.VERSION)
        .writeByte(frame.type())
        .writeShort(frame.flags())
        .writeInt(frame.streamId())
        .writeInt((int) frame.length());
    ByteBuf data = frame.data();
    if (data == null || !data.isReadable()) {
      out.add(header);
      return;
    }
    // The encoder releases the frame after this method; the retain keeps the body alive in the
    // composite, which the connection's pipeline releases once written.
    out.add(ctx.alloc().compositeBuffer(2).addComponents(true, header, data.retain()));
  }
}
