package io.cairn.testing.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * The reading end of a {@link Link}: what one side of a proxied connection sends goes into the link
 * toward the other side. Every buffer read is handed to the link, which owns it from then on. The
 * channel going inactive or failing closes the whole connection.
 */
final class LinkIngress extends ChannelInboundHandlerAdapter {
  private final Link link;
  private final ProxyConnection connection;

  LinkIngress(Link link, ProxyConnection connection) {
    this.link = link;
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    link.offer((ByteBuf) msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      link.sourceEnded();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.close();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A peer's reset or a failed read: the proxied connection ends, as a router would drop it.
    connection.close();
  }
}
