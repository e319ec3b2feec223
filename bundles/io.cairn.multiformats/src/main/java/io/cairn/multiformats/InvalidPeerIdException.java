package io.cairn.multiformats;

import java.io.Serial;

/**
 * A peer id that is malformed, hashed with a function other than identity or sha2-256, or whose inlined public key is invalid.
 */
public class InvalidPeerIdException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidPeerIdException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidPeerIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
