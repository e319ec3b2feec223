package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import java.security.SecureRandom;

/**
 * Noise's 25519 DH functions on BouncyCastle's RFC 7748 code, which bench/X25519Bench measured at 1.9x
 * the JDK's XDH for DH and 5x for key generation here: a Noise XX handshake does four of them on each
 * side, so they bound handshakes per second. Keys are the 32-byte RFC 7748 encodings throughout.
 */
final class X25519 {
  static final int KEY_LENGTH = org.bouncycastle.math.ec.rfc7748.X25519.POINT_SIZE;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A DH key pair: the private scalar and the encoded public key, 32 bytes each. */
  record KeyPair(byte[] privateKey, byte[] publicKey) {}

  private X25519() {}

  /** Noise's GENERATE_KEYPAIR(). */
  static KeyPair generate() {
    byte[] scalar = new byte[org.bouncycastle.math.ec.rfc7748.X25519.SCALAR_SIZE];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(RANDOM, scalar);
    return fromPrivate(scalar);
  }

  /** The key pair of a given private scalar (test vectors give only that). */
  static KeyPair fromPrivate(byte[] scalar) {
    byte[] publicKey = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(scalar, 0, publicKey, 0);
    return new KeyPair(scalar.clone(), publicKey);
  }

  /**
   * Noise's DH(key_pair, public_key).
   *
   * @throws NoiseException if the peer's key is a low-order point, which would make the shared secret
   *     all zeros
   */
  static byte[] dh(byte[] privateKey, byte[] publicKey) throws NoiseException {
    if (publicKey.length != KEY_LENGTH) {
      throw new NoiseException(Reason.MALFORMED_MESSAGE, "the peer's X25519 key has " + publicKey.length + " bytes, not 32");
    }
    byte[] shared = new byte[KEY_LENGTH];
    if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
      throw new NoiseException(Reason.MALFORMED_MESSAGE, "the peer's X25519 key is unusable: a low-order point");
    }
    return shared;
  }
}
