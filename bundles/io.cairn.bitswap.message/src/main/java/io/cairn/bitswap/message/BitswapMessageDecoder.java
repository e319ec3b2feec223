package io.cairn.bitswap.message;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.Objects;

/**
 * Decodes each message body from {@link BitswapFrameDecoder} into a {@link BitswapMessage} with
 * {@link BitswapCodec#decode}. A bad body fails with a {@link MalformedMessageException} or
 * {@link MessageTooLargeException} (to {@code exceptionCaught}).
 *
 * <p>Ownership: this handler releases every body it receives, decoded or not; the messages it passes on
 * hold no buffers. Stateless, so one instance may serve every stream.
 */
@Sharable
public final class BitswapMessageDecoder extends MessageToMessageDecoder<ByteBuf> {
  private final MessageLimits limits;

  /** @param limits what one message may hold */
  public BitswapMessageDecoder(MessageLimits limits) {
    super(ByteBuf.class);
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
    out.add(BitswapCodec.decode(body, limits));
  }
}
