package io.cairn.multiformats;

import java.io.Serial;

/**
 * A multiaddr in string or binary form that is malformed or names an unsupported protocol.
 */
public class InvalidMultiaddrException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidMultiaddrException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidMultiaddrException(String message, Throwable cause) {
        super(message, cause);
    }
}
