package io.cairn.libp2p;

import java.io.IOException;

/** A libp2p failure: a dial, a handshake, a negotiation or a limit. The message says which and why. */
public class Libp2pException extends Exception {
  private static final long serialVersionUID = 1L;

  public Libp2pException(String message) {
    super(message);
  }

  public Libp2pException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether {@code failure} is the peer's or the network's doing rather than a bug of ours: a broken protocol
   * rule (a {@code Libp2pException}) or a failed socket (an {@link IOException}). A handler that meets one
   * fails its connection or stream quietly; anything else it lets be seen.
   *
   * @since 1.2
   */
  public static boolean isPeerFailure(Throwable failure) {
    return failure instanceof Libp2pException || failure instanceof IOException;
  }
}
