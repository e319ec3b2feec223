package io.cairn.bitswap.message;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.util.Objects;

/**
 * Writes each {@link BitswapMessage} as a length-prefixed message of the stream's negotiated protocol
 * (what the protocol cannot carry is left out, see {@link BitswapCodec#encode}), into one buffer of
 * exactly the message's size, direct if the allocator prefers it.
 *
 * <p>Ownership: the buffer written goes down the pipeline, which releases it once written. A message
 * too large to send fails the write with a {@link MessageTooLargeException}. One instance per stream.
 */
public final class BitswapMessageEncoder extends MessageToByteEncoder<BitswapMessage> {
  private final BitswapProtocol protocol;
  /** The message {@link #allocateBuffer} just sized, and its body size, so that encode need not size it again. */
  private BitswapMessage sized;
  private int sizedBody;

  /** @param protocol the stream's negotiated protocol */
  public BitswapMessageEncoder(BitswapProtocol protocol) {
    super(BitswapMessage.class, true);
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, BitswapMessage message, boolean preferDirect) {
    int body = BitswapCodec.encodedSize(message, protocol);
    sized = message;
    sizedBody = body;
    int total = Wire.varintSize(body) + body;
    return preferDirect ? ctx.alloc().ioBuffer(total, total) : ctx.alloc().heapBuffer(total, total);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, BitswapMessage message, ByteBuf out) {
    int body = message == sized ? sizedBody : BitswapCodec.encodedSize(message, protocol);
    sized = null;
    BitswapCodec.encode(message, protocol, body, out);
  }
}
