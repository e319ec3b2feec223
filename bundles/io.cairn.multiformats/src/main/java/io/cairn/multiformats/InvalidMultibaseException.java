package io.cairn.multiformats;

import java.io.Serial;

/**
 * Multibase text with an unknown prefix, a character outside its alphabet, bad padding or non-canonical trailing bits, or over the length limit.
 */
public class InvalidMultibaseException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public InvalidMultibaseException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public InvalidMultibaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
