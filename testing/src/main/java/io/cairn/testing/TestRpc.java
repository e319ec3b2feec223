package io.cairn.testing;

import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request and a response as the RPC server hands them to a command, over bytes in memory: options are
 * read as the server reads them (a flag present without a value is true, {@code timeout} is given parsed).
 */
public final class TestRpc {
  public static final String BOUNDARY = "cairnTestBoundary0123456789";

  private TestRpc() {}

  /** A multipart body as kubo-rpc-client sends block/put: one part per block, named file, file-1, ... */
  public static byte[] multipart(byte[]... blocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < blocks.length; i++) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + (i == 0 ? "file" : "file-" + i)
          + "\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(blocks[i]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  public static final class Request implements RpcRequest {
    public final List<String> args = new ArrayList<>();
    public final Map<String, String> options = new LinkedHashMap<>();
    public String contentType = "multipart/form-data; boundary=" + BOUNDARY;
    public byte[] body = new byte[0];
    public Duration timeout;

    public Request arg(String value) {
      args.add(value);
      return this;
    }

    public Request option(String name, String value) {
      options.put(name, value);
      return this;
    }

    public Request body(byte[] bytes) {
      body = bytes;
      return this;
    }

    /** The {@code timeout} option as the server parses it. */
    public Request timeout(Duration value) {
      timeout = value;
      return this;
    }

    @Override
    public String path() {
      return "test";
    }

    @Override
    public List<String> arguments() {
      return args;
    }

    @Override
    public Optional<String> option(String name) {
      return Optional.ofNullable(options.get(name));
    }

    @Override
    public boolean flag(String name, boolean defaultValue) throws RpcException {
      String v = options.get(name);
      if (v == null) {
        return defaultValue;
      }
      return switch (v) {
        case "", "true", "1" -> true;
        case "false", "0" -> false;
        default -> throw RpcException.client("option \"" + name + "\": \"" + v + "\" is not a boolean");
      };
    }

    @Override
    public long longOption(String name, long defaultValue, long min, long max) throws RpcException {
      String v = options.get(name);
      if (v == null) {
        return defaultValue;
      }
      long parsed;
      try {
        parsed = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw RpcException.client("option \"" + name + "\": \"" + v + "\" is not an integer");
      }
      if (parsed < min || parsed > max) {
        throw RpcException.client("option \"" + name + "\": " + parsed + " is outside [" + min + ", " + max + "]");
      }
      return parsed;
    }

    @Override
    public Optional<Duration> timeout() {
      return Optional.ofNullable(timeout);
    }

    @Override
    public String contentType() {
      return contentType;
    }

    @Override
    public InputStream body() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public MultipartReader parts() throws RpcException {
      return MultipartReader.open(contentType, body(), MultipartReader.Limits.DEFAULT);
    }
  }

  public static final class Response implements RpcResponse {
    public Object json;
    public final List<Object> lines = new ArrayList<>();
    public boolean linesStarted;
    public String streamError;
    public String streamType;
    public final ByteArrayOutputStream stream = new ByteArrayOutputStream();

    @Override
    public void json(Object value) {
      json = value;
    }

    @Override
    public JsonLines jsonLines() {
      linesStarted = true;
      return new JsonLines() {
        @Override
        public void write(Object value) {
          lines.add(value);
        }

        @Override
        public void fail(String message) {
          streamError = message;
        }
      };
    }

    @Override
    public OutputStream stream(String contentType) {
      streamType = contentType;
      return stream;
    }

    public boolean started() {
      return json != null || linesStarted || streamType != null;
    }
  }

  /** Runs a command; the RpcException it throws (the server's error answer), or null. */
  public static RpcException run(RpcCommand command, Request request, Response response) throws IOException {
    try {
      command.execute(request, response);
      return null;
    } catch (RpcException e) {
      return e;
    }
  }

  /** The command's one JSON answer; its RpcException, if it fails, fails the caller. */
  public static Object json(RpcCommand command, Request request) throws IOException, RpcException {
    Response response = new Response();
    command.execute(request, response);
    return response.json;
  }

  /** The error the command answers; an AssertionError if it answers, or starts answering, instead. */
  public static RpcException error(RpcCommand command, Request request) throws IOException {
    Response response = new Response();
    RpcException e = run(command, request, response);
    if (e == null || response.started()) {
      throw new AssertionError("expected an error before any answer, got " + (e == null ? "none" : e.getMessage())
          + (response.json == null ? "" : " after " + response.json));
    }
    return e;
  }
}
