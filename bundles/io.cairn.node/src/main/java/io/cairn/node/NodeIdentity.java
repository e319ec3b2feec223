package io.cairn.node;

import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PublicKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's libp2p identity. The private key never leaves the implementation: callers ask it to sign.
 * The service carries the property {@value #PEER_ID_PROPERTY} so that the launcher and tools can
 * read the peer id without importing this package.
 */
@ProviderType
public interface NodeIdentity {
  String PEER_ID_PROPERTY = "cairn.peer.id";

  PeerId peerId();

  PublicKey publicKey();

  /** Signs {@code message} with the identity key (Ed25519: a 64-byte signature). */
  byte[] sign(byte[] message);
}
