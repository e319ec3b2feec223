package io.cairn.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Takes requests off one connection, on its event loop, and answers each through the {@link Responder}'s
 * chain of futures: nothing here, nor there, waits for a block or a client, so a request waiting for peers
 * holds no thread and delays no other request. One request is answered at a time, so answers go out in
 * request order: pipelined requests wait in a queue of at most {@link #MAX_PIPELINED}, past which the
 * connection stops reading until it drains. Below that it reads on while a request is answered, so a client
 * that goes away is seen at once and its request's fetches are withdrawn. Every field is touched on the event
 * loop only.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
  /** Requests decoded ahead of their turn, at most; then the connection stops reading. */
  static final int MAX_PIPELINED = 16;
  private final Supplier<GatewaySettings> settings;
  private final Responder responder;
  private final HeaderDeadline deadline;
  private final Logger log;
  /** Requests decoded while another was answered. */
  private final Deque<HttpRequest> pending = new ArrayDeque<>();
  private boolean busy;

  GatewayHandler(Supplier<GatewaySettings> settings, Responder responder, HeaderDeadline deadline, Logger log) {
    this.settings = settings;
    this.responder = responder;
    this.deadline = deadline;
    this.log = log;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest request) {
        deadline.headersReceived();
        if (busy) {
          pending.add(request);
          if (pending.size() >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
          }
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
    busy = true;
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
    HttpExchange ex = new HttpExchange(ctx.channel(), HttpUtil.isKeepAlive(request), request.method().equals(HttpMethod.HEAD));
    CompletableFuture<Void> answer;
    try {
      answer = responder.serve(parse(request), request.headers().get(HttpHeaderNames.IF_NONE_MATCH), ex, settings.get());
    } catch (GatewayError | RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenCompleteAsync((v, failure) -> finish(ctx, request, ex, failure), ctx.executor());
  }

  /** After the answer's chain: an error answer if it failed before answering, then the next request. */
  private void finish(ChannelHandlerContext ctx, HttpRequest request, HttpExchange ex, Throwable failure) {
    ex.finish();
    if (failure == null) {
      resume(ctx, ex);
      return;
    }
    Throwable cause = BlockSource.unwrap(failure);
    if (ex.answered()) {
      // The status is sent: what was written goes out, then the connection ends without the last chunk.
      ex.abort();
      resume(ctx, ex);
      return;
    }
    HttpHeaders extra = new DefaultHttpHeaders();
    ChannelFuture written;
    if (cause instanceof GatewayError e) {
      if (e.status() == 405) {
        extra.set(HttpHeaderNames.ALLOW, "GET, HEAD");
      }
      if (e.status() == 406 || e.status() == 400) {
        extra.set(HttpHeaderNames.VARY, "Accept");
      }
      written = ex.error(e.status(), e.getMessage(), extra);
    } else if (cause instanceof RejectedExecutionException) {
      extra.set(HttpHeaderNames.RETRY_AFTER, "1");
      written = ex.error(503, "the gateway is busy: every UnixFS thread is taken and the queue is full", extra);
    } else if (!ctx.channel().isActive()) {
      // The client went away (its fetches were cancelled): nobody to answer.
      resume(ctx, ex);
      return;
    } else {
      log.warn("gateway request {} failed: {}", request.uri(), cause.toString());
      written = ex.error(500, "the gateway failed: " + cause.getMessage(), extra);
    }
    written.addListener(f -> resume(ctx, ex));
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

  /** After an answer, on the event loop: the next request, or read on, or close a connection that does not stay open. */
  private void resume(ChannelHandlerContext ctx, HttpExchange ex) {
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
      deadline.awaitingHeaders();
      if (!ctx.channel().config().isAutoRead()) {
        ctx.channel().config().setAutoRead(true);
        ctx.read();
      }
    }
  }

  /** A request the codec could not read: answered on the event loop (nothing blocks), then the connection closes. */
  private void respondAndClose(ChannelHandlerContext ctx, int status, String message) {
    pending.clear();
    ctx.channel().config().setAutoRead(false);
    FullHttpResponse r = plainText(status, message);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
  }

  private static FullHttpResponse plainText(int status, String message) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().set("X-Content-Type-Options", "nosniff");
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
