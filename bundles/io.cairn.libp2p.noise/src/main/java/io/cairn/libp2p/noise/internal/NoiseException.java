package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.Libp2pException;

/**
 * A Noise handshake or session failure. The {@link Reason} tells failures apart for logs and tests; the
 * message says what exactly went wrong.
 */
public final class NoiseException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure: one per way a peer, the network or the clock can end a Noise session. */
  public enum Reason {
    /** A frame's length prefix is over the configured limit. */
    FRAME_TOO_LONG,
    /** The connection ended inside a frame. */
    TRUNCATED_FRAME,
    /** A handshake message or its payload does not have the shape the protocol requires. */
    MALFORMED_MESSAGE,
    /** An AEAD tag did not verify: the ciphertext was altered or made with another key. */
    DECRYPTION_FAILED,
    /** The peer's identity key is unreadable, of an unknown type or of a refused size. */
    INVALID_IDENTITY_KEY,
    /** The identity signature over the peer's static Noise key does not verify. */
    BAD_SIGNATURE,
    /** The peer proved an identity other than the one we dialled. */
    UNEXPECTED_PEER,
    /** Both sides listed stream muxers for early negotiation, and none in common. */
    NO_COMMON_MUXER,
    /** The handshake did not finish in the configured time. */
    TIMEOUT,
    /** The connection closed, or a write failed, before the handshake finished. */
    CONNECTION_CLOSED,
    /** 2^64 - 1 messages went one way under one key: the nonce may not be used. */
    NONCE_EXHAUSTED,
    /** A bug: a failure none of the other reasons explains. */
    INTERNAL
  }

  private final Reason reason;

  public NoiseException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public NoiseException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
