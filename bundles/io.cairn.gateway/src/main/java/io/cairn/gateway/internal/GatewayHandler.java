package io.cairn.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Takes requests off a connection and serves each on a request thread (block reads and CAR writes block;
 * the event loop never does). The connection stops reading while a request is served, so pipelined
 * requests are answered in order, one at a time.
 */
@ChannelHandler.Sharable
final class GatewayHandler extends ChannelInboundHandlerAdapter {
  private final Supplier<GatewaySettings> settings;
  private final Supplier<Executor> executor;
  private final Responder responder;
  private final Logger log;

  GatewayHandler(Supplier<GatewaySettings> settings, Supplier<Executor> executor, Responder responder, Logger log) {
    this.settings = settings;
    this.executor = executor;
    this.responder = responder;
    this.log = log;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        accept(ctx, request);
      }
      // Bodies (GET and HEAD have none worth reading) are dropped.
    } finally {
      if (msg instanceof HttpContent) {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private void accept(ChannelHandlerContext ctx, HttpRequest request) {
    GatewaySettings s = settings.get();
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      int status = cause instanceof TooLongHttpLineException ? 414
          : cause instanceof TooLongHttpHeaderException ? 431
          : 400;
      String message = cause instanceof TooLongFrameException ? "request line or headers over the gateway's limits"
          : "malformed request: " + cause.getMessage();
      respondAndClose(ctx, status, message);
      return;
    }
    HttpExchange ex = new HttpExchange(ctx.channel(), HttpUtil.isKeepAlive(request), s.idleTimeout());
    ctx.channel().config().setAutoRead(false);
    try {
      executor.get().execute(() -> serve(ctx, request, ex, s));
    } catch (RejectedExecutionException e) {
      HttpHeaders retry = new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, "1");
      try {
        ex.error(503, "the gateway is busy: every request thread is taken and the queue is full", retry);
      } catch (IOException ignored) {
        // the client is gone
      }
      resume(ctx, ex);
    }
  }

  private void serve(ChannelHandlerContext ctx, HttpRequest request, HttpExchange ex, GatewaySettings s) {
    try {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
      Map<String, String> query = new LinkedHashMap<>();
      for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
        query.put(e.getKey(), e.getValue().get(0));
      }
      HttpHeaders headers = request.headers();
      GatewayRequest r = GatewayRequest.parse(request.method().name(), uri.rawPath(), query,
          headers.get(HttpHeaderNames.ACCEPT), headers.get(HttpHeaderNames.CACHE_CONTROL));
      responder.serve(r, headers.get(HttpHeaderNames.IF_NONE_MATCH), ex, s);
    } catch (GatewayError e) {
      HttpHeaders extra = new DefaultHttpHeaders();
      if (e.status() == 405) {
        extra.set(HttpHeaderNames.ALLOW, "GET, HEAD");
      }
      if (e.status() == 406 || e.status() == 400) {
        extra.set(HttpHeaderNames.VARY, "Accept");
      }
      try {
        ex.error(e.status(), e.getMessage(), extra);
      } catch (IOException io) {
        ex.abort();
      }
    } catch (IOException | RuntimeException e) {
      if (ex.answered()) {
        ex.abort();
      } else {
        log.warn("gateway request {} failed: {}", request.uri(), e.toString());
        try {
          ex.error(500, "the gateway failed: " + e.getMessage(), new DefaultHttpHeaders());
        } catch (IOException io) {
          ex.abort();
        }
      }
    } finally {
      resume(ctx, ex);
    }
  }

  /** After an answer: read the next request, or close a connection that does not stay open. */
  private static void resume(ChannelHandlerContext ctx, HttpExchange ex) {
    if (ex.keepsAlive()) {
      ctx.channel().config().setAutoRead(true);
      ctx.read();
    } else {
      ctx.close();
    }
  }

  /** A request the codec could not read: answered on the event loop (nothing blocks), then the connection closes. */
  private static void respondAndClose(ChannelHandlerContext ctx, int status, String message) {
    ctx.channel().config().setAutoRead(false);
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
