package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's CipherState with ChaChaPoly: a key, a 64-bit message counter used as the nonce, and one JDK
 * cipher re-initialised per message. Not thread-safe: each belongs to one handshake or one direction of
 * one connection, used on its event loop.
 */
final class CipherState {
  static final int KEY_LENGTH = 32;
  static final int TAG_LENGTH = 16;
  /** Noise reserves 2^64 - 1 (all bits set, -1 as a signed long): a counter that reaches it is spent. */
  private static final long RESERVED_NONCE = -1L;

  /** ChaChaPoly's nonce: 4 zero bytes, then the counter little-endian. Rewritten before every message. */
  private final byte[] nonce = new byte[12];
  private Cipher cipher;
  private SecretKeySpec key;
  private long n;

  /** Noise's InitializeKey(k): a new key and a counter back at zero. */
  void initializeKey(byte[] k) {
    key = new SecretKeySpec(k, 0, KEY_LENGTH, "ChaCha20");
    n = 0;
  }

  /** Noise's SetNonce(n): lets tests reach the end of the counter without 2^64 messages. */
  void setNonce(long value) {
    n = value;
  }

  /** Noise's EncryptWithAd: ciphertext and tag; without a key the plaintext itself. */
  byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
    if (key == null) {
      return plaintext;
    }
    byte[] ciphertext = new byte[plaintext.length + TAG_LENGTH];
    crypt(Cipher.ENCRYPT_MODE, ad, ByteBuffer.wrap(plaintext), ByteBuffer.wrap(ciphertext));
    return ciphertext;
  }

  /** Noise's DecryptWithAd: the plaintext; without a key the ciphertext itself. */
  byte[] decryptWithAd(byte[] ad, byte[] ciphertext) throws NoiseException {
    if (key == null) {
      return ciphertext;
    }
    if (ciphertext.length < TAG_LENGTH) {
      throw new NoiseException(Reason.DECRYPTION_FAILED, "ciphertext of " + ciphertext.length + " bytes has no room for its tag");
    }
    byte[] plaintext = new byte[ciphertext.length - TAG_LENGTH];
    crypt(Cipher.DECRYPT_MODE, ad, ByteBuffer.wrap(ciphertext), ByteBuffer.wrap(plaintext));
    return plaintext;
  }

  /**
   * Encrypts a transport message (no associated data) from {@code plaintext} into {@code out}, which
   * needs {@link #TAG_LENGTH} bytes more room. Both may be views of the same heap array at the same
   * offset: the JDK then encrypts in place without copying.
   */
  void encrypt(ByteBuffer plaintext, ByteBuffer out) throws NoiseException {
    crypt(Cipher.ENCRYPT_MODE, null, plaintext, out);
  }

  /** Decrypts a transport message; in place under the same conditions as {@link #encrypt}. */
  void decrypt(ByteBuffer ciphertext, ByteBuffer out) throws NoiseException {
    if (ciphertext.remaining() < TAG_LENGTH) {
      throw new NoiseException(Reason.DECRYPTION_FAILED,
          "message of " + ciphertext.remaining() + " bytes is shorter than its tag");
    }
    crypt(Cipher.DECRYPT_MODE, null, ciphertext, out);
  }

  private void crypt(int mode, byte[] ad, ByteBuffer in, ByteBuffer out) throws NoiseException {
    if (n == RESERVED_NONCE) {
      throw new NoiseException(Reason.NONCE_EXHAUSTED, "2^64 - 1 messages sent under one key: the session must end");
    }
    long counter = n;
    for (int i = 4; i < 12; i++) {
      nonce[i] = (byte) counter;
      counter >>>= 8;
    }
    try {
      if (cipher == null) {
        cipher = Cipher.getInstance("ChaCha20-Poly1305");
      }
      // The JDK refuses to encrypt twice with one key and nonce; the counter never repeats one.
      cipher.init(mode, key, new IvParameterSpec(nonce));
      if (ad != null) {
        cipher.updateAAD(ad);
      }
      cipher.doFinal(in, out);
    } catch (AEADBadTagException e) {
      throw new NoiseException(Reason.DECRYPTION_FAILED, "message authentication failed (nonce " + Long.toUnsignedString(n) + ")", e);
    } catch (GeneralSecurityException e) {
      // Missing algorithm, refused key or short output buffer: a bug here, never the peer's doing.
      throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
    }
    n++;
  }
}
