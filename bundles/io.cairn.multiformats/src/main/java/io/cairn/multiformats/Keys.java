package io.cairn.multiformats;

import io.cairn.multiformats.internal.EcdsaPrivateKey;
import io.cairn.multiformats.internal.EcdsaPublicKey;
import io.cairn.multiformats.internal.Ed25519PrivateKey;
import io.cairn.multiformats.internal.Ed25519PublicKey;
import io.cairn.multiformats.internal.KeyProtobuf;
import io.cairn.multiformats.internal.RsaPrivateKey;
import io.cairn.multiformats.internal.RsaPublicKey;
import io.cairn.multiformats.internal.Secp256k1PrivateKey;
import io.cairn.multiformats.internal.Secp256k1PublicKey;

/**
 * Makes and reads libp2p keys (libp2p/specs peer-ids/peer-ids.md).
 *
 * <p>Keys travel as the {@code PublicKey}/{@code PrivateKey} protobuf, read here only in its deterministic
 * form. Per type: Ed25519 keys are raw (private: seed and public key, or the legacy form with the public
 * key twice); secp256k1 public keys are compressed points, checked to be on the curve; ECDSA and RSA
 * public keys are canonical DER SubjectPublicKeyInfo; RSA keys must have 2048 to 8192 bits. A private key
 * whose embedded or derived public key does not match is rejected.
 */
public final class Keys {
    private Keys() {
    }

    /** @return a new Ed25519 key pair, the kind Cairn uses for its identity */
    public static PrivateKey generateEd25519() {
        return Ed25519PrivateKey.generate();
    }

    /**
     * Reads a {@code PublicKey} protobuf.
     *
     * @throws InvalidKeyException if it is not the deterministic encoding of a valid key of a known type
     */
    public static PublicKey unmarshalPublicKey(byte[] protobuf) {
        KeyProtobuf.Message message = KeyProtobuf.decode(protobuf);
        byte[] data = message.data();
        return switch (message.type()) {
            case ED25519 -> Ed25519PublicKey.fromRaw(data);
            case SECP256K1 -> Secp256k1PublicKey.fromRaw(data);
            case ECDSA -> EcdsaPublicKey.fromRaw(data);
            case RSA -> RsaPublicKey.fromRaw(data);
        };
    }

    /**
     * Reads a {@code PrivateKey} protobuf, as libp2p implementations store keys on disk.
     *
     * @throws InvalidKeyException if it is not the deterministic encoding of a valid, self-consistent key
     *         of a known type
     */
    public static PrivateKey unmarshalPrivateKey(byte[] protobuf) {
        KeyProtobuf.Message message = KeyProtobuf.decode(protobuf);
        byte[] data = message.data();
        return switch (message.type()) {
            case ED25519 -> Ed25519PrivateKey.fromData(data);
            case SECP256K1 -> Secp256k1PrivateKey.fromData(data);
            case ECDSA -> EcdsaPrivateKey.fromData(data);
            case RSA -> RsaPrivateKey.fromData(data);
        };
    }
}
