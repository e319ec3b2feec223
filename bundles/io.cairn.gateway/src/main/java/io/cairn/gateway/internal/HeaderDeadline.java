package io.cairn.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A request's line and headers must arrive whole within {@code headerTimeoutMillis} of its first byte (Go's
 * {@code ReadHeaderTimeout}, nginx's {@code client_header_timeout}): a client that sends them a byte at a time
 * (slowloris) is answered 408 and closed, however steadily it trickles. Sits before the HTTP codec, so it
 * sees the raw bytes; the {@link GatewayHandler} after the codec says when a request's headers have been
 * decoded and when the connection waits for the next request. Waiting for a first byte is the idle timeout's
 * business, so a kept-alive connection is never taken for a slow one. (Bytes of a next request pipelined
 * while one is answered are not timed until more arrive: the codec does not say how much of a request it
 * holds, and the idle timeout still bounds them.) On the event loop only.
 */
final class HeaderDeadline extends ChannelInboundHandlerAdapter {
  private static final byte[] TIMEOUT_BODY = "the request's headers did not arrive in time (headerTimeoutMillis)\n"
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\n"
      + "X-Content-Type-Options: nosniff\r\n"
      + "Content-Length: " + TIMEOUT_BODY.length + "\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

  private final Duration timeout;
  private ChannelHandlerContext ctx;
  /** Whether the connection waits for a request's headers (no request is being answered). */
  private boolean awaiting = true;
  private ScheduledFuture<?> timer;

  HeaderDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (awaiting && timer == null && msg instanceof ByteBuf b && b.isReadable()) {
      timer = ctx.executor().schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** A request's headers are decoded: no deadline while it is answered. */
  void headersReceived() {
    awaiting = false;
    cancel();
  }

  /** The connection waits for the next request: its deadline starts at its first byte. */
  void awaitingHeaders() {
    awaiting = true;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire() {
    timer = null;
    if (!awaiting || !ctx.channel().isActive()) {
      return;
    }
    awaiting = false;
    ctx.channel().config().setAutoRead(false);
    // Written from here, before the codec, as the bytes they are: the codec is mid-request and answers nothing.
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT, TIMEOUT_BODY)).addListener(ChannelFutureListener.CLOSE);
  }
}
