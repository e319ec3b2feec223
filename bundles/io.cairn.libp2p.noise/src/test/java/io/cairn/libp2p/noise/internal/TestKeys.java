package io.cairn.libp2p.noise.internal;

/** Fixed X25519 key pairs, as test vectors give them: the private scalar only. */
final class TestKeys {
  private TestKeys() {}

  static X25519.KeyPair x25519(byte[] scalar) {
    return X25519.fromPrivate(scalar);
  }
}
