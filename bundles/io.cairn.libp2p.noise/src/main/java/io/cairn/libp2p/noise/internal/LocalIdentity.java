package io.cairn.libp2p.noise.internal;

import io.cairn.node.NodeIdentity;
import java.util.List;

/**
 * What this node proves in every handshake: a static Noise key and the node identity's signature over
 * it. The spec allows one static key for all sessions; making and signing it once keeps the identity
 * key's signing off the per-connection path.
 */
record LocalIdentity(X25519.KeyPair staticKey, byte[] identityKey, byte[] identitySignature) {
  static LocalIdentity create(NodeIdentity identity) {
    X25519.KeyPair staticKey = X25519.generate();
    byte[] signature = identity.sign(HandshakePayload.signedData(staticKey.publicKey()));
    return new LocalIdentity(staticKey, identity.publicKey().toProtobuf(), signature);
  }

  HandshakePayload payload(List<String> streamMuxers) {
    return new HandshakePayload(identityKey, identitySignature, streamMuxers);
  }
}
