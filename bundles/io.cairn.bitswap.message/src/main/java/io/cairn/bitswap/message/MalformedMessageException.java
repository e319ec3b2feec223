package io.cairn.bitswap.message;

import io.netty.handler.codec.CorruptedFrameException;
import java.io.Serial;

/**
 * A peer sent bytes that are not a bitswap message within the limits: the message says what was wrong
 * and where (which part, at which byte of the message body). The stream's owner resets the stream.
 */
public class MalformedMessageException extends CorruptedFrameException {
  @Serial
  private static final long serialVersionUID = 1L;

  /** @param message what was wrong, and where */
  public MalformedMessageException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong, and where
   * @param cause the lower-level format error (an invalid CID, for example)
   */
  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
