package io.cairn.car;

import java.io.IOException;

/**
 * A CAR that is malformed, truncated, over a limit, or holds a block that does not hash to its CID. The
 * message names the byte offset (from the start of the stream) of the header or section at fault.
 */
public class CarFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long offset;

  public CarFormatException(long offset, String message) {
    super(message + " (at byte offset " + offset + ")");
    this.offset = offset;
  }

  public CarFormatException(long offset, String message, Throwable cause) {
    super(message + " (at byte offset " + offset + ")", cause);
    this.offset = offset;
  }

  /** The offset of the header or section at fault. */
  public long offset() {
    return offset;
  }
}
