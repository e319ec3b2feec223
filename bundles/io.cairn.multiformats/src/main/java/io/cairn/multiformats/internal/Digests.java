package io.cairn.multiformats.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** The hash functions the bundle computes, in one place for multihashes and signatures alike. */
public final class Digests {
    private Digests() {
    }

    /** @return SHA-256 of {@code data} */
    public static byte[] sha256(byte[] data) {
        return jdk("SHA-256", data);
    }

    /** @return SHA-512 of {@code data} */
    public static byte[] sha512(byte[] data) {
        return jdk("SHA-512", data);
    }

    /** @return BLAKE2b with a 32-byte output, unkeyed, of {@code data} */
    public static byte[] blake2b256(byte[] data) {
        Blake2bDigest blake = new Blake2bDigest(256);
        blake.update(data, 0, data.length);
        byte[] out = new byte[32];
        blake.doFinal(out, 0);
        return out;
    }

    private static byte[] jdk(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides " + algorithm, e);
        }
    }
}
