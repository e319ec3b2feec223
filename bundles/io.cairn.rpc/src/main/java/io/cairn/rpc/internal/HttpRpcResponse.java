package io.cairn.rpc.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.rpc.RpcResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes answers as go-ipfs-cmds does: JSON values with {@code X-Chunked-Output: 1}, raw streams
 * with {@code X-Stream-Output: 1}, and {@code Trailer: X-Stream-Error} announced on both.
 */
final class HttpRpcResponse implements RpcResponse {
  static final String STREAM_ERROR = "X-Stream-Error";
  private static final String EXPOSED = "X-Stream-Output, X-Chunked-Output, X-Content-Length";

  private final HttpServletResponse http;
  private final ObjectMapper json;
  private final String server;
  private volatile String streamError;
  private boolean started;

  HttpRpcResponse(HttpServletResponse http, ObjectMapper json, String server) {
    this.http = http;
    this.json = json;
    this.server = server;
  }

  boolean started() {
    return started;
  }

  private void start(String contentType, String kindHeader) {
    if (started) {
      throw new IllegalStateException("a command answers once");
    }
    started = true;
    http.setStatus(200);
    http.setHeader("Server", server);
    http.setHeader(kindHeader, "1");
    http.setHeader("Trailer", STREAM_ERROR);
    http.setHeader("Access-Control-Allow-Headers", EXPOSED);
    http.setHeader("Access-Control-Expose-Headers", EXPOSED);
    http.setHeader("Vary", "Origin");
    http.setContentType(contentType);
    http.setTrailerFields(() -> streamError == null ? Map.of() : Map.of(STREAM_ERROR, streamError));
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
        streamError = message;
      }
    };
  }

  @Override
  public OutputStream stream(String contentType) throws IOException {
    start(contentType, "X-Stream-Output");
    return http.getOutputStream();
  }

  /** Records an error met after the answer started; it goes into the trailer. */
  void failStream(String message) {
    streamError = message;
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
