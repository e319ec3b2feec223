package io.cairn.libp2p.internal;

import io.cairn.libp2p.Libp2pException;

/** A multistream-select negotiation that broke a rule or a limit; the message says which. */
final class MultistreamException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  MultistreamException(String message) {
    super(message);
  }
}
