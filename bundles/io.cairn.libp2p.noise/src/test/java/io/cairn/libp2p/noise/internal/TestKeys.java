package io.cairn.libp2p.noise.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;

/** Fixed X25519 key pairs, as test vectors give them: the private scalar only. */
final class TestKeys {
  /** RFC 7748's base point, u = 9: DH with it yields the public key. */
  private static final byte[] BASE_POINT = new byte[X25519.KEY_LENGTH];

  static {
    BASE_POINT[0] = 9;
  }

  private TestKeys() {}

  static X25519.KeyPair x25519(byte[] scalar) {
    try {
      PrivateKey key = KeyFactory.getInstance("X25519")
          .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      return new X25519.KeyPair(key, X25519.dh(key, BASE_POINT));
    } catch (GeneralSecurityException | NoiseException e) {
      throw new AssertionError(e);
    }
  }
}
