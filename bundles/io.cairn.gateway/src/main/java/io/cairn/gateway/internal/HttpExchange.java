package io.cairn.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.util.concurrent.TimeUnit;

/**
 * One request's answer, written from a request thread to the connection: a whole response, or a chunked
 * stream that applies backpressure (a writer waits while the connection's outbound buffer is full, up to
 * the idle timeout). A stream that fails midway is {@link #abort}ed: the connection closes without the
 * last chunk, so the client sees an incomplete response, never a short one taken for whole.
 */
final class HttpExchange {
  private static final int CHUNK = 64 * 1024;

  private final Channel channel;
  private final boolean keepAlive;
  private final boolean head;
  private final Duration writeTimeout;
  private boolean answered;
  private boolean closed;

  /** @param head whether the request is a HEAD: every answer is then headers only */
  HttpExchange(Channel channel, boolean keepAlive, boolean head, Duration writeTimeout) {
    this.channel = channel;
    this.keepAlive = keepAlive;
    this.head = head;
    this.writeTimeout = writeTimeout;
  }

  boolean head() {
    return head;
  }

  boolean answered() {
    return answered;
  }

  /** Whether the connection stays open for the next request. */
  boolean keepsAlive() {
    return keepAlive && !closed;
  }

  /** A plain-text error answer. */
  void error(int status, String message, HttpHeaders extra) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    HttpHeaders h = extra.copy();
    h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    h.set("X-Content-Type-Options", "nosniff");
    full(status, h, body);
  }

  /** A whole answer; for HEAD the headers only (with the body's length). */
  void full(int status, HttpHeaders headers, byte[] body) throws IOException {
    answered = true;
    DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(headers);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    connectionHeader(r.headers());
    await(channel.writeAndFlush(r));
  }

  /** Headers of a streamed answer with no body (HEAD of a CAR). */
  void headersOnly(int status, HttpHeaders headers) throws IOException {
    answered = true;
    DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    r.headers().set(headers);
    connectionHeader(r.headers());
    channel.write(r);
    await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
  }

  /** Starts a chunked answer; the stream's {@code close} ends it properly. */
  OutputStream stream(int status, HttpHeaders headers) throws IOException {
    answered = true;
    DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    r.headers().set(headers);
    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    connectionHeader(r.headers());
    channel.write(r);
    return new ChunkedStream();
  }

  /** Ends a broken stream: what was written is sent, then the connection closes without the last chunk. */
  void abort() {
    closed = true;
    channel.close();
  }

  private void connectionHeader(HttpHeaders h) {
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  private void await(ChannelFuture f) throws IOException {
    try {
      if (!f.await(writeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        abort();
        throw new IOException("the client did not take the answer within " + writeTimeout.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
      throw new IOException("interrupted while answering", e);
    }
    if (!f.isSuccess()) {
      closed = true;
      throw new IOException("the connection failed: " + f.cause().getMessage(), f.cause());
    }
  }

  private final class ChunkedStream extends OutputStream {
    private byte[] buffer = new byte[CHUNK];
    private int length;
    private ChannelFuture last;
    private boolean done;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, buffer.length - length);
        System.arraycopy(b, off, buffer, length, n);
        length += n;
        off += n;
        len -= n;
        if (length == buffer.length) {
          send();
        }
      }
    }

    @Override
    public void flush() throws IOException {
      if (length > 0) {
        send();
      }
    }

    private void send() throws IOException {
      if (!channel.isActive()) {
        closed = true;
        throw new IOException("the client closed the connection");
      }
      last = channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(buffer, 0, length)));
      buffer = new byte[CHUNK];
      length = 0;
      // Backpressure: a slow client holds the writer here, not the node's memory.
      if (!channel.isWritable()) {
        await(last);
      }
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      flush();
      await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }
  }
}
