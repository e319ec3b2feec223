package io.cairn.multiformats;

import java.util.Optional;

/** The libp2p key types, numbered as in the {@code KeyType} enum of the libp2p key protobuf. */
public enum KeyType {
    /** RSA, 2048 to 8192 bits; PKIX public keys, PKCS#1 private keys, SHA-256 PKCS#1 v1.5 signatures. */
    RSA(0),
    /** Ed25519; raw 32-byte public keys. The type every Cairn node uses for its own identity. */
    ED25519(1),
    /** secp256k1; compressed 33-byte public keys, DER ECDSA signatures over SHA-256. */
    SECP256K1(2),
    /** ECDSA on the NIST curves; PKIX public keys, SEC 1 private keys, DER signatures over SHA-256. */
    ECDSA(3);

    private static final KeyType[] ALL = values();

    private final int number;

    KeyType(int number) {
        this.number = number;
    }

    /** @return the protobuf enum number */
    public int number() {
        return number;
    }

    /** @return the key type with this protobuf enum number, if there is one */
    public static Optional<KeyType> forNumber(long number) {
        for (KeyType type : ALL) {
            if (type.number == number) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
