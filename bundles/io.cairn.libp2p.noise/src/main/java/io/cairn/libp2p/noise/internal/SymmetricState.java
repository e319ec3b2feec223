package io.cairn.libp2p.noise.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's SymmetricState with SHA256 (Noise revision 34, section 5.2): the chaining key, the handshake
 * hash, and the CipherState they key.
 */
final class SymmetricState {
  static final int HASH_LENGTH = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  private final CipherState cipher = new CipherState();
  private byte[] ck;
  private byte[] h;

  /** Noise's InitializeSymmetric(protocol_name). */
  SymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
    ck = h;
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] outputs = hkdf(inputKeyMaterial, 2);
    ck = outputs[0];
    cipher.initializeKey(outputs[1]);
  }

  void mixHash(byte[] data) {
    sha256.update(h);
    sha256.update(data);
    h = sha256.digest();
  }

  byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
    byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  /** Noise's Split(): the initiator's sending and the responder's sending CipherState, in that order. */
  CipherState[] split() {
    byte[][] outputs = hkdf(new byte[0], 2);
    CipherState c1 = new CipherState();
    c1.initializeKey(outputs[0]);
    CipherState c2 = new CipherState();
    c2.initializeKey(outputs[1]);
    return new CipherState[] {c1, c2};
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  /** Noise's HKDF(chaining_key, input_key_material, num_outputs) with HMAC-SHA256. */
  private byte[][] hkdf(byte[] inputKeyMaterial, int outputs) {
    byte[] tempKey = hmac(ck, inputKeyMaterial);
    byte[][] result = new byte[outputs][];
    byte[] previous = new byte[0];
    for (int i = 0; i < outputs; i++) {
      byte[] input = Arrays.copyOf(previous, previous.length + 1);
      input[previous.length] = (byte) (i + 1);
      previous = hmac(tempKey, input);
      result[i] = previous;
    }
    return result;
  }

  private byte[] hmac(byte[] key, byte[] data) {
    try {
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 refused a 32-byte key", e);
    }
    return hmac.doFinal(data);
  }
}
