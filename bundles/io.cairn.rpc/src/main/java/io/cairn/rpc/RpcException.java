package io.cairn.rpc;

/** An RPC failure in Kubo's shape: {@code {"Message": ..., "Code": n, "Type": "error"}}. */
public class RpcException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Kubo's error codes (go-ipfs-cmds); only {@link #CLIENT} answers HTTP 400, the rest 500. */
  public enum Code {
    NORMAL(0), CLIENT(1), IMPLEMENTATION(2), RATE_LIMITED(3), FORBIDDEN(4), BLOCKED(5);

    private final int value;

    Code(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }

    public int httpStatus() {
      return this == CLIENT ? 400 : 500;
    }
  }

  private final Code code;

  public RpcException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public RpcException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  /** The caller asked wrongly: HTTP 400. */
  public static RpcException client(String message) {
    return new RpcException(Code.CLIENT, message);
  }

  /** The request was fine and the node could not do it: HTTP 500. */
  public static RpcException normal(String message) {
    return new RpcException(Code.NORMAL, message);
  }
}
