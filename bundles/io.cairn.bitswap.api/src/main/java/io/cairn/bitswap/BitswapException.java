package io.cairn.bitswap;

/** A bitswap failure; the message says which block or peer, and why. */
public class BitswapException extends Exception {
  private static final long serialVersionUID = 1L;

  public BitswapException(String message) {
    super(message);
  }

  public BitswapException(String message, Throwable cause) {
    super(message, cause);
  }
}
