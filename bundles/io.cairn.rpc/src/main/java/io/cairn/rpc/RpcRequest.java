package io.cairn.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/** A parsed RPC request: positional {@code arg} values and named options from the query string, and the body. */
@ProviderType
public interface RpcRequest {
  /** The command path, e.g. {@code swarm/connect}. */
  String path();

  /** Every {@code arg=} value, in order. */
  List<String> arguments();

  /** The value of argument {@code index}, or a client error naming {@code name} when it is missing. */
  default String requireArgument(int index, String name) throws RpcException {
    List<String> args = arguments();
    if (index >= args.size()) {
      throw RpcException.client("argument \"" + name + "\" is required");
    }
    return args.get(index);
  }

  /** The first value of option {@code name} (kebab-case, as Kubo names them). */
  Optional<String> option(String name);

  /** A boolean option: absent gives {@code defaultValue}; present without a value means true, as Kubo reads it. */
  boolean flag(String name, boolean defaultValue) throws RpcException;

  /** An integer option within {@code [min, max]}, else a client error naming the option. */
  long longOption(String name, long defaultValue, long min, long max) throws RpcException;

  /**
   * A duration option in Go's syntax ({@code 300ms}, {@code 1m30s}, as Kubo's {@code time.ParseDuration}
   * reads it) within {@code [min, max]}, else a client error naming the option.
   *
   * @since 1.3
   */
  default Duration durationOption(String name, Duration defaultValue, Duration min, Duration max) throws RpcException {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Duration parsed;
    try {
      parsed = GoDuration.parse(value.get().trim());
    } catch (IllegalArgumentException e) {
      throw RpcException.client("option \"" + name + "\": " + e.getMessage());
    }
    if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw RpcException.client("option \"" + name + "\": " + value.get() + " is outside [" + GoDuration.format(min) + ", "
          + GoDuration.format(max) + "]");
    }
    return parsed;
  }

  /** The {@code timeout} option (Go duration syntax: {@code 300ms}, {@code 10s}, {@code 1m30s}), if given. */
  Optional<Duration> timeout() throws RpcException;

  /**
   * When the request's time is up: when it arrived plus its {@code timeout} option; empty without one.
   * The RPC server bounds every command by it, as go-ipfs-cmds bounds a command by its context: at the
   * deadline it cancels what {@link #bind} tied to the request, interrupts the thread running the command,
   * and answers Kubo's {@code context deadline exceeded} (500), or puts it in the {@code X-Stream-Error}
   * trailer once the answer has started. A command only needs this to size its own waits.
   *
   * <p>This default (for requests made outside the server, as in tests) counts from the call.
   *
   * @since 1.2
   */
  default Optional<Instant> deadline() throws RpcException {
    return timeout().map(t -> Instant.now().plus(t));
  }

  /**
   * Ties {@code work} to this request and returns it: it is cancelled if the request ends before it
   * completes, that is when its {@link #deadline} passes or the command returns (as go-ipfs-cmds cancels a
   * command's context when it returns). A command that waits on a future binds it, so that the work stops
   * (a want is withdrawn, a walk records nothing) rather than running on for nobody.
   *
   * <p>This default (for requests made outside the server) cancels {@code work} at its timeout.
   *
   * @since 1.2
   */
  default <T> CompletableFuture<T> bind(CompletableFuture<T> work) {
    Optional<Duration> timeout;
    try {
      timeout = timeout();
    } catch (RpcException malformed) {
      return work;
    }
    timeout.ifPresent(t -> CompletableFuture.delayedExecutor(t.toNanos(), TimeUnit.NANOSECONDS)
        .execute(() -> work.cancel(true)));
    return work;
  }

  /** The request's {@code Content-Type}, or an empty string. */
  String contentType();

  /** The request body, to be read at most once (or through {@link #parts()}, not both). */
  InputStream body() throws IOException;

  /**
   * The body as {@code multipart/form-data}, read part by part as it arrives, within the server's
   * configured limits; at most once, instead of {@link #body()}.
   *
   * @throws RpcException a client error if the body is not {@code multipart/form-data} with a boundary
   * @since 1.1
   */
  MultipartReader parts() throws RpcException, IOException;
}
