package io.cairn.multiformats;

import java.io.Serial;

/**
 * An unsigned varint that is truncated, longer than 9 bytes, or not minimally encoded.
 */
public class InvalidVarintException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidVarintException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidVarintException(String message, Throwable cause) {
        super(message, cause);
    }
}
