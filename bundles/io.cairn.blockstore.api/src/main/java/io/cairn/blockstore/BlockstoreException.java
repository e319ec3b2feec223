package io.cairn.blockstore;

/** A blockstore failure; the subclasses say which kind, the message says what and why. */
public class BlockstoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BlockstoreException(String message) {
    super(message);
  }

  public BlockstoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
