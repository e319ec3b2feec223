package io.cairn.pin;

/** A pin operation refused or failed, with a message fit for the RPC caller (Kubo's wording where Kubo has one). */
public class PinException extends Exception {
  private static final long serialVersionUID = 1L;

  public PinException(String message) {
    super(message);
  }

  public PinException(String message, Throwable cause) {
    super(message, cause);
  }
}
