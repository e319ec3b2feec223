package io.cairn.multiformats;

import java.io.Serial;

/**
 * A CID in string or binary form that is malformed, of an unknown version, or over the length limit.
 */
public class InvalidCidException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidCidException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidCidException(String message, Throwable cause) {
        super(message, cause);
    }
}
