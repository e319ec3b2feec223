package io.cairn.multiformats;

import java.io.Serial;

/**
 * A libp2p key that is malformed, of an unknown type, off its curve, or outside the accepted sizes.
 */
public class InvalidKeyException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidKeyException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
