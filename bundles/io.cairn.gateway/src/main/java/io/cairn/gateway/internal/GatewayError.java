package io.cairn.gateway.internal;

/** A request the gateway answers with an error status and a plain-text message, before any body is sent. */
final class GatewayError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  GatewayError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
