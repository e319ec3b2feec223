package io.cairn.rpc;

import java.io.IOException;

/**
 * Thrown by a request body's stream ({@link RpcRequest#body()}, a {@link MultipartReader.Part#body()}) when
 * the body breaks its syntax or breaks off (shorter than its {@code Content-Length}, malformed chunking): an
 * {@link IOException}, since that is what streams throw, carrying the client error to answer. The RPC
 * server answers it as that error (HTTP 400, or the stream's error trailer once the answer started).
 */
public class MalformedBodyException extends IOException {
  private static final long serialVersionUID = 1L;
  private final RpcException error;

  public MalformedBodyException(RpcException error) {
    super(error.getMessage(), error);
    this.error = error;
  }

  /** The client error to answer with. */
  public RpcException error() {
    return error;
  }
}
