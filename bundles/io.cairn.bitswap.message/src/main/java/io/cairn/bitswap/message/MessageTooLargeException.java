package io.cairn.bitswap.message;

import io.netty.handler.codec.TooLongFrameException;
import java.io.Serial;

/**
 * A message longer than the limit: announced by a peer (rejected from its length prefix alone, before
 * any of the body is awaited) or about to be encoded.
 */
public class MessageTooLargeException extends TooLongFrameException {
  @Serial
  private static final long serialVersionUID = 1L;

  /** @param message the length and the limit */
  public MessageTooLargeException(String message) {
    super(message);
  }
}
