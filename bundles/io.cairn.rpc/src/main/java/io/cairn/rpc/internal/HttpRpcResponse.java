package io.cairn.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.rpc.RpcResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Writes answers as go-ipfs-cmds does: JSON values with {@code X-Chunked-Output: 1}, raw streams
 * with {@code X-Stream-Output: 1}, and {@code Trailer: X-Stream-Error} announced on both where the
 * protocol has trailers. HTTP/1.0 has none (Go's server, Kubo's, sends trailers only in a chunked HTTP/1.1
 * answer): there an error met after the answer started cannot be told, and the answer just ends.
 *
 * <p>The command answers only if it gets there first: {@code claim} is asked once, when the answer starts,
 * and says no when the request's deadline has taken the answer (see {@link CommandRun}).
 */
final class HttpRpcResponse implements RpcResponse {
  static final String STREAM_ERROR = "X-Stream-Error";
  private static final String EXPOSED = "X-Stream-Output, X-Chunked-Output, X-Content-Length";

  private final HttpServletResponse http;
  private final ObjectMapper json;
  private final String server;
  private final boolean trailers;
  private final BooleanSupplier claim;
  /** Guarded by {@code this}: the trailer's error, and whether the deadline wrote it (then it stays). */
  private String streamError;
  private boolean streamErrorFinal;
  private volatile boolean started;

  /**
   * @param trailers whether the request's protocol carries trailers (HTTP/1.1 and later)
   * @param claim whether the command may still answer; asked once, when it starts to
   */
  HttpRpcResponse(HttpServletResponse http, ObjectMapper json, String server, boolean trailers, BooleanSupplier claim) {
    this.http = http;
    this.json = json;
    this.server = server;
    this.trailers = trailers;
    this.claim = claim;
  }

  boolean started() {
    return started;
  }

  private void start(String contentType, String kindHeader) throws IOException {
    if (started) {
      throw new IllegalStateException("a command answers once");
    }
    if (!claim.getAsBoolean()) {
      throw new IOException("the request's deadline passed before the command answered");
    }
    started = true;
    http.setStatus(200);
    http.setHeader("Server", server);
    http.setHeader(kindHeader, "1");
    http.setHeader("Access-Control-Allow-Headers", EXPOSED);
    http.setHeader("Access-Control-Expose-Headers", EXPOSED);
    http.setHeader("Vary", "Origin");
    http.setContentType(contentType);
    if (trailers) {
      http.setHeader("Trailer", STREAM_ERROR);
      http.setTrailerFields(() -> {
        String error = streamError();
        return error == null ? Map.of() : Map.of(STREAM_ERROR, error);
      });
    }
  }

  @Override
  public void json(Object value) throws IOException {
    start("application/json", "X-Chunked-Output");
    OutputStream out = http.getOutputStream();
    json.writeValue(new NonClosing(out), value);
    out.write('\n');
  }

  @Override
  public JsonLines jsonLines() throws IOException {
    start("application/json", "X-Chunked-Output");
    OutputStream out = http.getOutputStream();
    return new JsonLines() {
      @Override
      public void write(Object value) throws IOException {
        json.writeValue(new NonClosing(out), value);
        out.write('\n');
        out.flush();
      }

      @Override
      public void fail(String message) {
        failStream(message);
      }
    };
  }

  @Override
  public OutputStream stream(String contentType) throws IOException {
    start(contentType, "X-Stream-Output");
    return http.getOutputStream();
  }

  /** Records an error met after the answer started; it goes into the trailer (the last one said). */
  synchronized void failStream(String message) {
    if (!streamErrorFinal) {
      streamError = message == null ? "error" : message;
    }
  }

  /** Records the error that ends the answer (its deadline passed): what the command says after it is not kept. */
  synchronized void endStream(String message) {
    streamError = message;
    streamErrorFinal = true;
  }

  synchronized String streamError() {
    return streamError;
  }

  /** Jackson closes the stream it writes to; the servlet container owns this one. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
