package io.cairn.multiformats;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A libp2p private key. Instances come from {@link Keys}; they are immutable, never show their secret in
 * {@code toString}, and are equal when their type and encoded key are equal.
 */
@ProviderType
public interface PrivateKey {
    /** @return the key type */
    KeyType type();

    /** @return the matching public key */
    PublicKey publicKey();

    /** @return a signature of {@code data} that {@link PublicKey#verify} of {@link #publicKey()} accepts */
    byte[] sign(byte[] data);

    /**
     * @return the {@code PrivateKey} protobuf encoding, as libp2p implementations store keys on disk; it
     *         holds the secret
     */
    byte[] toProtobuf();
}
