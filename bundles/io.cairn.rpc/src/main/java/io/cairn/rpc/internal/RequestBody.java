package io.cairn.rpc.internal;

import io.cairn.rpc.MalformedBodyException;
import io.cairn.rpc.RpcException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A request's body as a command reads it. Its first bytes (up to {@code bodyReadAheadBytes}) are read
 * before the command runs, so a body that fits is known whole and well-formed before anything acts on it:
 * one cut short or with malformed chunking is answered 400 and the command never runs. A longer body (an
 * upload) streams on from there; a failure to read it later is a {@link MalformedBodyException} too, met by
 * the command where it reads (block/put and add store a part only once it arrived whole).
 *
 * <p>Not thread-safe: the command's thread reads it.
 */
final class RequestBody extends InputStream {
  private final InputStream rest;
  private final byte[] head;
  private int headPosition;
  private boolean ended;

  private RequestBody(InputStream rest, byte[] head, boolean ended) {
    this.rest = rest;
    this.head = head;
    this.ended = ended;
  }

  /** No body: the request declared none. */
  static RequestBody empty() {
    return new RequestBody(InputStream.nullInputStream(), new byte[0], true);
  }

  /**
   * Reads up to {@code readAhead} bytes of {@code in} now.
   *
   * @throws MalformedBodyException if the body cannot be read that far (cut short, malformed chunking)
   */
  static RequestBody readAhead(InputStream in, int readAhead) throws MalformedBodyException {
    byte[] head = new byte[Math.min(readAhead, 8192)];
    int length = 0;
    boolean ended = false;
    while (length < readAhead) {
      if (length == head.length) {
        head = Arrays.copyOf(head, Math.min(readAhead, head.length * 2));
      }
      int n = read(in, head, length, head.length - length);
      if (n < 0) {
        ended = true;
        break;
      }
      length += n;
    }
    return new RequestBody(in, Arrays.copyOf(head, length), ended);
  }

  /** Whether the whole body was read ahead. */
  boolean whole() {
    return ended;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (headPosition < head.length) {
      int n = Math.min(len, head.length - headPosition);
      System.arraycopy(head, headPosition, b, off, n);
      headPosition += n;
      return n;
    }
    if (ended) {
      return -1;
    }
    int n = read(rest, b, off, len);
    if (n < 0) {
      ended = true;
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return head.length - headPosition;
  }

  @Override
  public void close() {
    // The servlet container owns the stream; what is left of the body it reads or discards itself.
  }

  /**
   * One read of the container's stream. Whatever stops it (an early end of the connection, a malformed
   * chunk, which Jetty reports as an unchecked {@code BadMessageException}) means the client's body did not
   * arrive whole: a client error.
   */
  private static int read(InputStream in, byte[] b, int off, int len) throws MalformedBodyException {
    try {
      return in.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new MalformedBodyException(RpcException.client("the request body did not arrive whole: " + reason));
    }
  }
}
