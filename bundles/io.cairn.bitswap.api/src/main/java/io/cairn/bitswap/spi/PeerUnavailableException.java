package io.cairn.bitswap.spi;

import io.cairn.multiformats.PeerId;

/** A message could not go to a peer: not connected, no bitswap, or the send timed out. */
public class PeerUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public PeerUnavailableException(PeerId peer, String reason) {
    super(peer + ": " + reason);
  }
}
