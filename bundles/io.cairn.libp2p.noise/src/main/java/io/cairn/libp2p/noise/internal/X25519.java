package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * Noise's 25519 DH functions on the JDK's XDH. Noise carries public keys as the 32-byte RFC 7748 encoding
 * (the u-coordinate, little-endian); the JDK wants the u-coordinate as a number, so keys are converted at
 * this boundary and nowhere else.
 */
final class X25519 {
  static final int KEY_LENGTH = 32;

  /** A DH key pair: the JDK private key and the encoded public key. */
  record KeyPair(PrivateKey privateKey, byte[] publicKey) {}

  private X25519() {}

  /** Noise's GENERATE_KEYPAIR(). */
  static KeyPair generate() {
    try {
      java.security.KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
      return new KeyPair(pair.getPrivate(), encode(((XECPublicKey) pair.getPublic()).getU()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks X25519", e);
    }
  }

  /**
   * Noise's DH(key_pair, public_key).
   *
   * @throws NoiseException if the peer's key is a low-order point, which would make the shared secret
   *     all zeros (the JDK refuses to compute it)
   */
  static byte[] dh(PrivateKey privateKey, byte[] publicKey) throws NoiseException {
    try {
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(privateKey);
      agreement.doPhase(decode(publicKey), true);
      return agreement.generateSecret();
    } catch (InvalidKeyException e) {
      throw new NoiseException(Reason.MALFORMED_MESSAGE, "the peer's X25519 key is unusable: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks X25519", e);
    }
  }

  /**
   * RFC 7748 section 5: little-endian, the top bit of the last byte masked off. The JDK reduces the
   * result modulo p, as the RFC requires for non-canonical values.
   */
  private static java.security.PublicKey decode(byte[] encoded) throws GeneralSecurityException {
    byte[] bigEndian = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH; i++) {
      bigEndian[i] = encoded[KEY_LENGTH - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    BigInteger u = new BigInteger(1, bigEndian);
    return KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
  }

  /** The u-coordinate (below p, so below 2^255) as 32 little-endian bytes. */
  static byte[] encode(BigInteger u) {
    byte[] bigEndian = u.toByteArray(); // may carry a leading sign byte, or be shorter than 32
    byte[] encoded = new byte[KEY_LENGTH];
    for (int i = 0; i < KEY_LENGTH && i < bigEndian.length; i++) {
      encoded[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return encoded;
  }
}
