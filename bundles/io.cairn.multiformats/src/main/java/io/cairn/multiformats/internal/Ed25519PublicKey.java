package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key: the 32-byte RFC 8032 encoding, verified with BouncyCastle's RFC 8032 code
 * (bench/Ed25519Bench: 7.7x the JDK's EdDSA here; every Noise handshake verifies one signature).
 */
public final class Ed25519PublicKey extends AbstractPublicKey {
    static final int LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;

    /** Kept apart from {@link #raw()}, which hands out copies: signing and verifying read it as is. */
    private final byte[] key;

    private Ed25519PublicKey(byte[] raw) {
        super(KeyType.ED25519, raw);
        this.key = raw.clone();
    }

    /**
     * @throws InvalidKeyException unless the key is 32 bytes
     */
    public static Ed25519PublicKey fromRaw(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new InvalidKeyException("Ed25519 public keys are 32 bytes, not " + raw.length);
        }
        return new Ed25519PublicKey(raw.clone());
    }

    /** The key bytes without a copy, for this package's signing code; never to be modified. */
    byte[] rawView() {
        return key;
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        // Ed25519.verify rejects points off the curve and non-canonical encodings itself.
        return signature.length == SIGNATURE_LENGTH && Ed25519.verify(signature, 0, key, 0, data, 0, data.length);
    }
}
