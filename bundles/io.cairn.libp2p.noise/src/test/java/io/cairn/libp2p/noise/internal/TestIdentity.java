package io.cairn.libp2p.noise.internal;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;

/** A node identity on a fresh Ed25519 key. */
final class TestIdentity implements NodeIdentity {
  private final PrivateKey key = Keys.generateEd25519();
  private final PeerId peerId = PeerId.fromPublicKey(key.publicKey());

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PublicKey publicKey() {
    return key.publicKey();
  }

  @Override
  public byte[] sign(byte[] message) {
    return key.sign(message);
  }
}
