package io.cairn.net;

import io.cairn.multiformats.PeerId;

/**
 * Why a peer is bypassed: a connection past one of the route optimizer's thresholds. Carried as the cause
 * of a failed fetch whose only providers were bypassed, so that the caller learns the path is at fault,
 * not the content.
 */
public abstract class RouteException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient PeerId peer;

  protected RouteException(PeerId peer, String message) {
    super(message, null, false, false);
    this.peer = peer;
  }

  public PeerId peer() {
    return peer;
  }
}
