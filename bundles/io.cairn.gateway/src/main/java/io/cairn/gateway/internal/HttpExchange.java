package io.cairn.gateway.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One request's answer on its connection. Nothing here waits: whole answers and the head of a stream are
 * written as they are asked for, and each write's {@link ChannelFuture} says when it is done. Work the request
 * waits on (block fetches) is registered with {@link #whileOpen} and cancelled if the client goes away first,
 * so a closed connection withdraws its wants. A stream that fails midway is {@link #abort}ed: the connection
 * closes without the last chunk, so the client sees an incomplete response, never a short one taken for whole.
 */
final class HttpExchange {
  private final Channel channel;
  private final boolean keepAlive;
  private final boolean head;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final ChannelFutureListener onClose = f -> cancelInFlight();
  private volatile boolean answered;
  private volatile boolean closed;

  /** @param head whether the request is a HEAD: every answer is then headers only */
  HttpExchange(Channel channel, boolean keepAlive, boolean head) {
    this.channel = channel;
    this.keepAlive = keepAlive;
    this.head = head;
    channel.closeFuture().addListener(onClose);
  }

  /** The connection's event loop: where the answer's steps run, one at a time. */
  EventLoop eventLoop() {
    return channel.eventLoop();
  }

  /** Whether a status has been sent: from then on a failure can only {@link #abort}. */
  boolean answered() {
    return answered;
  }

  /** Whether the connection stays open for the next request. */
  boolean keepsAlive() {
    return keepAlive && !closed && channel.isActive();
  }

  /** Cancels {@code work} if the connection closes before it completes; returns it. */
  <T> CompletableFuture<T> whileOpen(CompletableFuture<T> work) {
    if (work.isDone()) {
      return work;
    }
    inFlight.add(work);
    work.whenComplete((v, e) -> inFlight.remove(work));
    if (!channel.isActive()) {
      work.cancel(false);
    }
    return work;
  }

  private void cancelInFlight() {
    closed = true;
    for (CompletableFuture<?> f : inFlight) {
      f.cancel(false);
    }
  }

  /** The answer is over: the connection no longer cancels this request's work when it closes. */
  void finish() {
    channel.closeFuture().removeListener(onClose);
  }

  /** A plain-text error answer (boxo's shape: the message and a newline, never sniffed). */
  ChannelFuture error(int status, String message, HttpHeaders extra) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    HttpHeaders h = extra.copy();
    h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    h.set("X-Content-Type-Options", "nosniff");
    return full(status, h, body);
  }

  /** A whole answer; for HEAD the headers only (with the body's length). */
  ChannelFuture full(int status, HttpHeaders headers, byte[] body) {
    answered = true;
    DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(headers);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    connectionHeader(r.headers());
    return channel.writeAndFlush(r);
  }

  /** Headers of a streamed answer with no body (HEAD of a CAR). */
  ChannelFuture headersOnly(int status, HttpHeaders headers) {
    answered = true;
    DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    r.headers().set(headers);
    connectionHeader(r.headers());
    channel.write(r);
    return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** Starts a chunked answer: its status and headers are sent; {@link ChunkedBody#end} ends it properly. */
  ChunkedBody stream(int status, HttpHeaders headers) {
    answered = true;
    DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    r.headers().set(headers);
    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    connectionHeader(r.headers());
    return new ChunkedBody(channel.writeAndFlush(r));
  }

  /** Ends a broken stream: what was written is sent, then the connection closes without the last chunk. */
  void abort() {
    closed = true;
    channel.close();
  }

  /** Completes when {@code write} is done, whether it went out or the connection failed (which closes it). */
  CompletableFuture<Void> sent(ChannelFuture write) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    write.addListener(f -> {
      if (!f.isSuccess()) {
        abort();
      }
      done.complete(null);
    });
    return done;
  }

  private void connectionHeader(HttpHeaders h) {
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  /**
   * The body of a chunked answer, as a stream: each write goes out as one chunk (a copy: the caller keeps its
   * array). Used by one thread at a time: the event loop (CAR streams, which wait for room with
   * {@link #whenWritable}) or a UnixFS thread (entities, which wait with {@link #awaitWritable}).
   */
  final class ChunkedBody extends OutputStream {
    private ChannelFuture last;

    private ChunkedBody(ChannelFuture headers) {
      this.last = headers;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      if (closed || !channel.isActive()) {
        closed = true;
        throw new IOException("the client closed the connection");
      }
      // Released by the HTTP encoder once written (or by the channel if the write fails).
      ByteBuf chunk = channel.alloc().buffer(len).writeBytes(b, off, len);
      last = channel.writeAndFlush(new DefaultHttpContent(chunk));
    }

    @Override
    public void flush() {
      channel.flush();
    }

    /** Completes when the connection can take more (at once if it can): a slow client holds the stream, not memory. */
    CompletableFuture<Void> whenWritable() {
      if (channel.isWritable()) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> room = new CompletableFuture<>();
      // Once the last write is out, everything before it is too: the outbound buffer is empty.
      last.addListener(f -> {
        if (f.isSuccess()) {
          room.complete(null);
        } else {
          closed = true;
          room.completeExceptionally(new IOException("the connection failed: " + f.cause().getMessage(), f.cause()));
        }
      });
      return room;
    }

    /** Waits (off the event loop only) until the connection can take more, up to {@code timeout}. */
    void awaitWritable(Duration timeout) throws IOException {
      if (channel.isWritable()) {
        return;
      }
      try {
        if (!last.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          abort();
          throw new IOException("the client did not take the answer within " + timeout.toMillis() + " ms");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        throw new IOException("interrupted while answering", e);
      }
      if (!last.isSuccess()) {
        closed = true;
        throw new IOException("the connection failed: " + last.cause().getMessage(), last.cause());
      }
    }

    /** Ends the answer with the last chunk; the write's future. */
    ChannelFuture end() {
      return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }
}
