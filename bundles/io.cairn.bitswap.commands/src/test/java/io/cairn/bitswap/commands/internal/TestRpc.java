package io.cairn.bitswap.commands.internal;

import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request as the RPC server parses one (query-string arguments and options, no body), and a JSON answer. */
final class TestRpc {
  private TestRpc() {}

  static final class Request implements RpcRequest {
    final List<String> args = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();

    Request arg(String value) {
      args.add(value);
      return this;
    }

    Request option(String name, String value) {
      options.put(name, value);
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

    /** As the server reads a flag: present without a value means true. */
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
    public long longOption(String name, long defaultValue, long min, long max) {
      throw new UnsupportedOperationException("the bitswap commands take no integer option");
    }

    @Override
    public Optional<Duration> timeout() {
      return Optional.empty();
    }

    @Override
    public String contentType() {
      return "";
    }

    @Override
    public InputStream body() {
      return InputStream.nullInputStream();
    }

    @Override
    public MultipartReader parts() throws RpcException {
      throw RpcException.client("expected a multipart/form-data body");
    }
  }

  /** Holds the one JSON answer; the bitswap commands never stream. */
  static final class Response implements RpcResponse {
    Object json;

    @Override
    public void json(Object value) {
      json = value;
    }

    @Override
    public JsonLines jsonLines() {
      throw new AssertionError("the bitswap commands answer one JSON value");
    }

    @Override
    public OutputStream stream(String contentType) {
      throw new AssertionError("the bitswap commands answer one JSON value");
    }
  }

  /** The command's JSON answer; fails the test if it throws. */
  static Object json(RpcCommand command, Request request) throws IOException, RpcException {
    Response response = new Response();
    command.execute(request, response);
    return response.json;
  }

  /** The error the command answers, in Kubo's shape; fails the test if it answers instead. */
  static RpcException error(RpcCommand command, Request request) throws IOException {
    Response response = new Response();
    try {
      command.execute(request, response);
    } catch (RpcException e) {
      if (response.json != null) {
        throw new AssertionError("answered before failing: " + response.json);
      }
      return e;
    }
    throw new AssertionError("expected an error, got " + response.json);
  }
}
