package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * What every private key shares: its type, stored key data and public key; equality on the data compared
 * in constant time, hashing and printing on the public key only so the secret never leaks.
 */
abstract class AbstractPrivateKey implements PrivateKey {
    private static final byte[] PAIR_PROBE = "cairn: does this private key match its public key?"
            .getBytes(StandardCharsets.US_ASCII);

    private final KeyType type;
    private final byte[] data;

    AbstractPrivateKey(KeyType type, byte[] data) {
        this.type = type;
        this.data = data;
    }

    @Override
    public final KeyType type() {
        return type;
    }

    @Override
    public final byte[] toProtobuf() {
        return KeyProtobuf.encode(type, data);
    }

    /**
     * A stored private key carries (or implies) its public key; a signature that the public key rejects
     * means the two do not belong together, which would make the node sign as someone else.
     *
     * @throws InvalidKeyException if they do not match
     */
    final void checkMatchesPublicKey() {
        byte[] signature;
        try {
            signature = sign(PAIR_PROBE);
        } catch (IllegalStateException e) {
            // The JDK checks its own RSA-CRT results, so inconsistent key parameters surface here.
            throw new InvalidKeyException(type + " private key cannot sign: its parameters are inconsistent", e);
        }
        if (!publicKey().verify(PAIR_PROBE, signature)) {
            throw new InvalidKeyException(type + " private key does not match its embedded public key");
        }
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof AbstractPrivateKey other && type == other.type && MessageDigest.isEqual(data, other.data);
    }

    @Override
    public final int hashCode() {
        return publicKey().hashCode();
    }

    @Override
    public final String toString() {
        return type + " private key of " + publicKey();
    }

    /** @return {@code a || b} */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
