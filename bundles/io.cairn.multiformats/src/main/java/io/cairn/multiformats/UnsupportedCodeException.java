package io.cairn.multiformats;

import java.io.Serial;

/**
 * A well-formed code (for example a multihash function) that this implementation cannot compute with.
 */
public class UnsupportedCodeException extends MultiformatException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public UnsupportedCodeException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public UnsupportedCodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
