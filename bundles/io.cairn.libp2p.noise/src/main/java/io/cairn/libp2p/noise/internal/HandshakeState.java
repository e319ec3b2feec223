package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Noise's HandshakeState for the one protocol libp2p uses, {@value #PROTOCOL_NAME}:
 *
 * <pre>
 *   -> e
 *   &lt;- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * The three messages are written and read in turn; after the third, {@link #split()} gives the transport
 * keys. A failed read leaves the state unusable: the caller ends the connection.
 */
final class HandshakeState {
  static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
  static final int MAX_MESSAGE_LENGTH = 65535;

  private static final int KEY = X25519.KEY_LENGTH;
  private static final int TAG = CipherState.TAG_LENGTH;
  /** Bytes of each message besides its payload: keys, their tags, and the payload's tag once keyed. */
  private static final int[] FIXED_LENGTH = {KEY, KEY + KEY + TAG + TAG, KEY + TAG + TAG};

  /** The keys of one direction each, once the handshake is complete. */
  record TransportKeys(CipherState send, CipherState receive) {}

  private final boolean initiator;
  private final SymmetricState symmetric = new SymmetricState(PROTOCOL_NAME);
  private final X25519.KeyPair s;
  private final Supplier<X25519.KeyPair> ephemeralKeys;
  private X25519.KeyPair e;
  private byte[] rs;
  private byte[] re;
  /** The pattern's next message, 0 to 2; 3 once the handshake is complete. */
  private int next;

  /**
   * Noise's Initialize() for XX: no pre-messages.
   *
   * @param s our static key pair
   * @param ephemeralKeys makes the ephemeral key pair when it is needed ({@link X25519#generate} but for
   *     the fixed keys of test vectors)
   */
  HandshakeState(boolean initiator, byte[] prologue, X25519.KeyPair s, Supplier<X25519.KeyPair> ephemeralKeys) {
    this.initiator = initiator;
    this.s = s;
    this.ephemeralKeys = ephemeralKeys;
    symmetric.mixHash(prologue);
  }

  /** Noise's WriteMessage: the next message, carrying {@code payload}. */
  byte[] writeMessage(byte[] payload) throws NoiseException {
    checkTurn(true);
    if (payload.length > MAX_MESSAGE_LENGTH - FIXED_LENGTH[next]) {
      throw new IllegalArgumentException("handshake payload of " + payload.length + " bytes does not fit a Noise message");
    }
    byte[] message = switch (next) {
      case 0 -> {
        e = ephemeralKeys.get();
        symmetric.mixHash(e.publicKey());
        yield concat(e.publicKey(), symmetric.encryptAndHash(payload));
      }
      case 1 -> {
        e = ephemeralKeys.get();
        symmetric.mixHash(e.publicKey());
        symmetric.mixKey(X25519.dh(e.privateKey(), re));
        byte[] encryptedStatic = symmetric.encryptAndHash(s.publicKey());
        symmetric.mixKey(X25519.dh(s.privateKey(), re));
        yield concat(e.publicKey(), concat(encryptedStatic, symmetric.encryptAndHash(payload)));
      }
      default -> {
        byte[] encryptedStatic = symmetric.encryptAndHash(s.publicKey());
        symmetric.mixKey(X25519.dh(s.privateKey(), re));
        yield concat(encryptedStatic, symmetric.encryptAndHash(payload));
      }
    };
    next++;
    return message;
  }

  /**
   * Noise's ReadMessage: the payload of the peer's next message.
   *
   * @throws NoiseException if the message is too short for its pattern, carries a low-order key, or
   *     fails to decrypt
   */
  byte[] readMessage(byte[] message) throws NoiseException {
    checkTurn(false);
    if (message.length < FIXED_LENGTH[next]) {
      throw new NoiseException(Reason.MALFORMED_MESSAGE, "handshake message " + (next + 1) + " has " + message.length
          + " bytes, fewer than the " + FIXED_LENGTH[next] + " its pattern needs");
    }
    byte[] payload = switch (next) {
      case 0 -> {
        re = Arrays.copyOfRange(message, 0, KEY);
        symmetric.mixHash(re);
        yield symmetric.decryptAndHash(Arrays.copyOfRange(message, KEY, message.length));
      }
      case 1 -> {
        re = Arrays.copyOfRange(message, 0, KEY);
        symmetric.mixHash(re);
        symmetric.mixKey(X25519.dh(e.privateKey(), re));
        rs = symmetric.decryptAndHash(Arrays.copyOfRange(message, KEY, KEY + KEY + TAG));
        symmetric.mixKey(X25519.dh(e.privateKey(), rs));
        yield symmetric.decryptAndHash(Arrays.copyOfRange(message, KEY + KEY + TAG, message.length));
      }
      default -> {
        rs = symmetric.decryptAndHash(Arrays.copyOfRange(message, 0, KEY + TAG));
        symmetric.mixKey(X25519.dh(e.privateKey(), rs));
        yield symmetric.decryptAndHash(Arrays.copyOfRange(message, KEY + TAG, message.length));
      }
    };
    next++;
    return payload;
  }

  boolean isComplete() {
    return next == FIXED_LENGTH.length;
  }

  /** Whether the next message is ours to write; false when it is the peer's, or the handshake is over. */
  boolean isOurTurn() {
    return !isComplete() && (next % 2 == 0) == initiator;
  }

  /** The peer's static Noise key, once its message carrying it was read. */
  byte[] remoteStaticKey() {
    return rs.clone();
  }

  byte[] handshakeHash() {
    return symmetric.handshakeHash();
  }

  /** Noise's Split(), oriented: the initiator sends with the first key, the responder with the second. */
  TransportKeys split() {
    if (!isComplete()) {
      throw new IllegalStateException("the handshake is not complete");
    }
    CipherState[] keys = symmetric.split();
    return initiator ? new TransportKeys(keys[0], keys[1]) : new TransportKeys(keys[1], keys[0]);
  }

  private void checkTurn(boolean writing) {
    if (isComplete() || isOurTurn() != writing) {
      throw new IllegalStateException((writing ? "writing" : "reading") + " handshake message " + (next + 1)
          + " out of turn as " + (initiator ? "initiator" : "responder"));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
