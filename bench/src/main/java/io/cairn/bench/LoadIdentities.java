package io.cairn.bench;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Peer identities a run can name before it starts: peer {@code i} of seed {@code s} has the Ed25519 key
 * whose seed is SHA-256({@code s + "/" + i}), so a script can configure the node with the load's peer IDs
 * (its critical peers, say) before any of them connects.
 */
final class LoadIdentities {
  private LoadIdentities() {}

  static PrivateKey key(String seed, int index) {
    byte[] secret;
    try {
      secret = MessageDigest.getInstance("SHA-256").digest((seed + "/" + index).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(secret, 0, publicKey, 0);
    // libp2p's PrivateKey protobuf: field 1 the key type (1, Ed25519), field 2 the seed then the public key.
    byte[] protobuf = new byte[4 + 64];
    protobuf[0] = 0x08;
    protobuf[1] = 0x01;
    protobuf[2] = 0x12;
    protobuf[3] = 64;
    System.arraycopy(secret, 0, protobuf, 4, 32);
    System.arraycopy(publicKey, 0, protobuf, 36, 32);
    return Keys.unmarshalPrivateKey(protobuf);
  }

  static PeerId peerId(String seed, int index) {
    return PeerId.fromPublicKey(key(seed, index).publicKey());
  }
}
