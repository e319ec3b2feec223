package io.cairn.multiformats;

import java.io.Serial;

/**
 * A multihash whose structure or digest length is invalid.
 */
public class InvalidMultihashException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidMultihashException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidMultihashException(String message, Throwable cause) {
        super(message, cause);
    }
}
