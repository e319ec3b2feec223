package io.cairn.rpc.internal;

import io.cairn.rpc.GoDuration;
import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link RpcRequest} over a servlet request; the query was parsed and checked by {@link RpcServlet},
 * the {@code timeout} option too (so {@link #timeout} cannot fail here), and the body read ahead by
 * {@link RequestBody}.
 */
final class HttpRpcRequest implements RpcRequest {
  private final String path;
  private final List<String> arguments;
  private final Map<String, String[]> parameters;
  private final String contentType;
  private final MultipartReader.Limits multipart;
  private final Optional<Duration> timeout;
  private final Optional<Instant> deadline;
  /** The deadline on {@link System#nanoTime()}'s clock, which the wall clock's jumps do not move. */
  private final long deadlineNanos;
  /** What {@link #bind} tied to the request and has not completed yet (completed work leaves at once). */
  private final Set<CompletableFuture<?>> bound = ConcurrentHashMap.newKeySet();
  private volatile boolean ended;
  private volatile RequestBody body = RequestBody.empty();

  HttpRpcRequest(String path, List<String> arguments, Map<String, String[]> parameters, String contentType,
      MultipartReader.Limits multipart, Instant arrived) throws RpcException {
    this.path = path;
    this.arguments = List.copyOf(arguments);
    this.parameters = parameters;
    this.contentType = contentType == null ? "" : contentType;
    this.multipart = multipart;
    this.timeout = parseTimeout(parameters);
    this.deadline = timeout.map(arrived::plus);
    // The same moment as deadline on the monotonic clock: counted from the arrival, not from now, so a
    // command whose own wait ends at deadline() finds nanosLeft() spent too.
    long arrivedNanos = System.nanoTime() - Math.max(0, Duration.between(arrived, Instant.now()).toNanos());
    this.deadlineNanos = timeout.map(t -> arrivedNanos + Math.min(t.toNanos(), Long.MAX_VALUE / 4)).orElse(Long.MAX_VALUE);
  }

  /** Nanoseconds until the deadline (negative once passed); {@link Long#MAX_VALUE} without one. */
  long nanosLeft() {
    return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
  }

  /** The body the command reads, once read ahead. */
  void body(RequestBody body) {
    this.body = body;
  }

  /** Ends the request: the futures bound to it that have not completed are cancelled. */
  void end() {
    ended = true;
    for (CompletableFuture<?> work : bound) {
      work.cancel(true);
    }
    bound.clear();
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
  public Optional<Duration> timeout() {
    return timeout;
  }

  @Override
  public Optional<Instant> deadline() {
    return deadline;
  }

  @Override
  public <T> CompletableFuture<T> bind(CompletableFuture<T> work) {
    if (work.isDone()) {
      return work;
    }
    bound.add(work);
    work.whenComplete((result, failure) -> bound.remove(work));
    if (ended) {
      // Bound while the request ended: end() may have missed it.
      work.cancel(true);
    }
    return work;
  }

  /** A global option, as in Kubo: malformed, it is a client error for every command. */
  static Optional<Duration> parseTimeout(Map<String, String[]> parameters) throws RpcException {
    String[] values = parameters.get("timeout");
    if (values == null || values.length == 0) {
      return Optional.empty();
    }
    String value = values[0];
    try {
      Duration d = GoDuration.parse(value);
      if (d.isNegative() || d.isZero()) {
        throw RpcException.client("option \"timeout\": must be positive, got \"" + value + "\"");
      }
      return Optional.of(d);
    } catch (IllegalArgumentException e) {
      throw RpcException.client("option \"timeout\": " + e.getMessage());
    }
  }

  @Override
  public String contentType() {
    return contentType;
  }

  @Override
  public InputStream body() {
    return body;
  }

  @Override
  public MultipartReader parts() throws RpcException {
    return MultipartReader.open(contentType, body, multipart);
  }
}
