package io.cairn.rpc.internal;

import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link RpcRequest} over a servlet request; the query was parsed and checked by {@link RpcServlet}. */
final class HttpRpcRequest implements RpcRequest {
  private final String path;
  private final List<String> arguments;
  private final Map<String, String[]> parameters;
  private final HttpServletRequest http;
  private final MultipartReader.Limits multipart;

  HttpRpcRequest(String path, List<String> arguments, Map<String, String[]> parameters, HttpServletRequest http,
      MultipartReader.Limits multipart) {
    this.path = path;
    this.arguments = List.copyOf(arguments);
    this.parameters = parameters;
    this.http = http;
    this.multipart = multipart;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public List<String> arguments() {
    return arguments;
  }

  @Override
  public Optional<String> option(String name) {
    String[] values = parameters.get(name);
    return values == null || values.length == 0 ? Optional.empty() : Optional.of(values[0]);
  }

  @Override
  public boolean flag(String name, boolean defaultValue) throws RpcException {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
      case "", "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw RpcException.client("option \"" + name + "\": \"" + value.get() + "\" is not a boolean");
    };
  }

  @Override
  public long longOption(String name, long defaultValue, long min, long max) throws RpcException {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.get().trim());
    } catch (NumberFormatException e) {
      throw RpcException.client("option \"" + name + "\": \"" + value.get() + "\" is not an integer");
    }
    if (parsed < min || parsed > max) {
      throw RpcException.client("option \"" + name + "\": " + parsed + " is outside [" + min + ", " + max + "]");
    }
    return parsed;
  }

  @Override
  public Optional<Duration> timeout() throws RpcException {
    Optional<String> value = option("timeout");
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      Duration d = GoDuration.parse(value.get());
      if (d.isNegative() || d.isZero()) {
        throw RpcException.client("option \"timeout\": must be positive, got \"" + value.get() + "\"");
      }
      return Optional.of(d);
    } catch (IllegalArgumentException e) {
      throw RpcException.client("option \"timeout\": " + e.getMessage());
    }
  }

  @Override
  public String contentType() {
    String type = http.getContentType();
    return type == null ? "" : type;
  }

  @Override
  public InputStream body() throws IOException {
    return http.getInputStream();
  }

  @Override
  public MultipartReader parts() throws RpcException, IOException {
    return MultipartReader.open(contentType(), body(), multipart);
  }
}
