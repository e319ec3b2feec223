package io.cairn.libp2p;

/** A libp2p failure: a dial, a handshake, a negotiation or a limit. The message says which and why. */
public class Libp2pException extends Exception {
  private static final long serialVersionUID = 1L;

  public Libp2pException(String message) {
    super(message);
  }

  public Libp2pException(String message, Throwable cause) {
    super(message, cause);
  }
}
