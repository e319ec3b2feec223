package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key, stored as libp2p does: the 32-byte seed followed by the 32-byte public key.
 * Signs with BouncyCastle's RFC 8032 code, which bench/Ed25519Bench measured 10x faster than the JDK's
 * EdDSA here (every Noise handshake signs once).
 */
public final class Ed25519PrivateKey extends AbstractPrivateKey {
    private static final int SEED_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed, Ed25519PublicKey publicKey) {
        super(KeyType.ED25519, concat(seed, publicKey.raw()));
        this.seed = seed;
        this.publicKey = publicKey;
    }

    /** @return a new key from a secure random seed */
    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[SEED_LENGTH];
        Ed25519.generatePrivateKey(RANDOM, seed);
        return new Ed25519PrivateKey(seed, Ed25519PublicKey.fromRaw(derivePublic(seed)));
    }

    private static byte[] derivePublic(byte[] seed) {
        byte[] publicBytes = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, publicBytes, 0);
        return publicBytes;
    }

    /**
     * Reads the libp2p form: seed and public key (64 bytes), or the legacy form with the public key
     * repeated (96 bytes), whose two copies must agree.
     *
     * @throws InvalidKeyException for other lengths, disagreeing copies, or a public key that is not the
     *         seed's
     */
    public static Ed25519PrivateKey fromData(byte[] data) {
        if (data.length != 64 && data.length != 96) {
            throw new InvalidKeyException("Ed25519 private keys are 64 bytes (or the legacy 96), not " + data.length);
        }
        byte[] publicBytes = Arrays.copyOfRange(data, SEED_LENGTH, 64);
        if (data.length == 96 && !Arrays.equals(publicBytes, Arrays.copyOfRange(data, 64, 96))) {
            throw new InvalidKeyException("legacy 96-byte Ed25519 private key repeats two different public keys");
        }
        byte[] seed = Arrays.copyOf(data, SEED_LENGTH);
        Ed25519PrivateKey key = new Ed25519PrivateKey(seed, Ed25519PublicKey.fromRaw(publicBytes));
        key.checkMatchesPublicKey();
        return key;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicKey.rawView(), 0, data, 0, data.length, signature, 0);
        return signature;
    }
}
