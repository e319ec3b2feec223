package io.cairn.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http.HttpMethod;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Takes requests off one connection and serves each on a request thread (block reads and CAR writes block;
 * the event loop never does). One request is served at a time: pipelined requests the codec has already
 * decoded wait in a queue (on the event loop), and the connection stops reading meanwhile, so answers go
 * out in request order.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
  private final Supplier<GatewaySettings> settings;
  private final Supplier<Executor> executor;
  private final Responder responder;
  private final Logger log;
  /** Requests decoded while another was served; touched on the event loop only. */
  private final Deque<HttpRequest> pending = new ArrayDeque<>();
  private boolean busy;

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
        if (busy) {
          pending.add(request);
        } else {
          accept(ctx, request);
        }
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
    HttpExchange ex = new HttpExchange(ctx.channel(), HttpUtil.isKeepAlive(request),
        request.method().equals(HttpMethod.HEAD), s.idleTimeout());
    busy = true;
    ctx.channel().config().setAutoRead(false);
    try {
      executor.get().execute(() -> serve(ctx, request, ex, s));
    } catch (RejectedExecutionException e) {
      // On the event loop: answered without waiting for the write.
      FullHttpResponse busyAnswer = plainText(503, "the gateway is busy: every request thread is taken and the queue is full",
          ex.head());
      busyAnswer.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
      ctx.writeAndFlush(busyAnswer).addListener(f -> resume(ctx, ex));
    }
  }

  private void serve(ChannelHandlerContext ctx, HttpRequest request, HttpExchange ex, GatewaySettings s) {
    try {
      HttpHeaders headers = request.headers();
      GatewayRequest r = parse(request);
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

  private static GatewayRequest parse(HttpRequest request) throws GatewayError {
    Map<String, String> query = new LinkedHashMap<>();
    String rawPath;
    try {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
      for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
        query.put(e.getKey(), e.getValue().get(0));
      }
      rawPath = uri.rawPath();
    } catch (IllegalArgumentException e) {
      throw new GatewayError(400, "malformed request URI: " + e.getMessage());
    }
    HttpHeaders headers = request.headers();
    return GatewayRequest.parse(request.method().name(), rawPath, query, headers.get(HttpHeaderNames.ACCEPT),
        headers.get(HttpHeaderNames.CACHE_CONTROL));
  }

  /** After an answer (from any thread): serve the next request, or read on, or close a connection that does not stay open. */
  private void resume(ChannelHandlerContext ctx, HttpExchange ex) {
    ctx.executor().execute(() -> {
      busy = false;
      if (!ex.keepsAlive()) {
        pending.clear();
        ctx.close();
        return;
      }
      HttpRequest next = pending.poll();
      if (next != null) {
        accept(ctx, next);
      } else {
        ctx.channel().config().setAutoRead(true);
        ctx.read();
      }
    });
  }

  /** A request the codec could not read: answered on the event loop (nothing blocks), then the connection closes. */
  private void respondAndClose(ChannelHandlerContext ctx, int status, String message) {
    busy = true;
    pending.clear();
    ctx.channel().config().setAutoRead(false);
    FullHttpResponse r = plainText(status, message, false);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  /** A plain-text answer (its body left out for a HEAD, its length kept). */
  private static FullHttpResponse plainText(int status, String message, boolean head) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
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
