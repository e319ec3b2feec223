package io.cairn.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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

  /** The {@code timeout} option (Go duration syntax: {@code 300ms}, {@code 10s}, {@code 1m30s}), if given. */
  Optional<Duration> timeout() throws RpcException;

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
