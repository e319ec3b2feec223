package io.cairn.multiformats;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A libp2p public key: the key a peer id is derived from and that verifies the peer's signatures.
 *
 * <p>Instances come from {@link Keys}; they are immutable and equal when their type and
 * {@linkplain #raw() key data} are equal.
 */
@ProviderType
public interface PublicKey {
    /** @return the key type */
    KeyType type();

    /** @return a copy of the type-specific key data: the {@code Data} field of the protobuf */
    byte[] raw();

    /** @return the deterministic {@code PublicKey} protobuf encoding that peer ids are derived from */
    byte[] toProtobuf();

    /**
     * Verifies a signature made by the matching private key, with the type's signature scheme.
     *
     * @return true if {@code signature} is a valid signature of {@code data}; false for any other
     *         signature, malformed ones included
     */
    boolean verify(byte[] data, byte[] signature);
}
