package io.cairn.multiformats;

import java.io.Serial;

/**
 * Base of every exception this package throws for malformed or unsupported input.
 *
 * <p>Unchecked on purpose: identifiers arrive from the network and from users everywhere in a node, and a
 * parser either yields a valid value or one of these; callers that handle untrusted input catch this type
 * (or a specific subclass) at the boundary where they can answer the peer or user.
 */
public class MultiformatException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the input
     */
    public MultiformatException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the input
     * @param cause the lower-level format error that made the input invalid
     */
    public MultiformatException(String message, Throwable cause) {
        super(message, cause);
    }
}
