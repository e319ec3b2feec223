package io.cairn.node.internal;

/** The identity key file cannot be used; the message says which file, why, and what to do. */
final class IdentityKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  IdentityKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
