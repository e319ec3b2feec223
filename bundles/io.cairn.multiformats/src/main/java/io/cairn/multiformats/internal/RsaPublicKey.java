package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An RSA public key as DER SubjectPublicKeyInfo, 2048 to 8192 bits. Verifies SHA-256 PKCS#1 v1.5
 * signatures with the JDK.
 *
 * <p>The size bounds are those of go-libp2p: smaller keys are forgeable, and larger ones let a peer make
 * every verification cost seconds (CVE-2023-39533).
 */
public final class RsaPublicKey extends AbstractPublicKey {
    static final int MIN_BITS = 2048;
    static final int MAX_BITS = 8192;

    private final RSAPublicKey jdkKey;

    private RsaPublicKey(byte[] raw, RSAPublicKey jdkKey) {
        super(KeyType.RSA, raw);
        this.jdkKey = jdkKey;
    }

    /**
     * @throws InvalidKeyException unless the key is canonical DER of a 2048- to 8192-bit RSA key
     */
    public static RsaPublicKey fromRaw(byte[] raw) {
        RSAPublicKey key;
        try {
            key = (RSAPublicKey) Jdk.keyFactory("RSA").generatePublic(new X509EncodedKeySpec(raw));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException("not an RSA SubjectPublicKeyInfo the JDK accepts", e);
        }
        checkSize(key.getModulus().bitLength());
        // Peer ids hash these bytes, so only the one canonical encoding of a key may be accepted.
        if (!Arrays.equals(key.getEncoded(), raw)) {
            throw new InvalidKeyException("RSA public key is not in canonical DER");
        }
        return new RsaPublicKey(raw.clone(), key);
    }

    static void checkSize(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new InvalidKeyException("RSA keys must have " + MIN_BITS + " to " + MAX_BITS + " bits, not " + bits);
        }
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        return Jdk.verify("SHA256withRSA", jdkKey, data, signature);
    }
}
