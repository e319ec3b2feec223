package io.cairn.testing.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The writing end's back-pressure: a {@link Link} stops writing to its destination while the
 * destination's outbound buffer is above its high-water mark, and this handler, on the destination,
 * resumes it when the buffer drains.
 */
final class DrainOnWritable extends ChannelInboundHandlerAdapter {
  private final Link link;

  DrainOnWritable(Link link) {
    this.link = link;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      link.pump();
    }
    ctx.fireChannelWritabilityChanged();
  }
}
