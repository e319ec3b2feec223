package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PublicKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An Ed25519 private key, stored as libp2p does: the 32-byte seed followed by the 32-byte public key.
 * Signs with the JDK.
 */
public final class Ed25519PrivateKey extends AbstractPrivateKey {
    private static final int SEED_LENGTH = 32;

    private final Ed25519PublicKey publicKey;
    private final PrivateKey jdkKey;

    private Ed25519PrivateKey(byte[] seed, Ed25519PublicKey publicKey, PrivateKey jdkKey) {
        super(KeyType.ED25519, concat(seed, publicKey.raw()));
        this.publicKey = publicKey;
        this.jdkKey = jdkKey;
    }

    /** @return a new key from the JDK's default secure random source */
    public static Ed25519PrivateKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes()
                    .orElseThrow(() -> new IllegalStateException("the JDK hides Ed25519 seeds"));
            return new Ed25519PrivateKey(seed, Ed25519PublicKey.fromJdk((EdECPublicKey) pair.getPublic()),
                    pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java platform lacks Ed25519", e);
        }
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
        PrivateKey jdkKey;
        try {
            jdkKey = Jdk.keyFactory("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("the JDK refuses this Ed25519 seed", e);
        }
        Ed25519PrivateKey key = new Ed25519PrivateKey(seed, Ed25519PublicKey.fromRaw(publicBytes), jdkKey);
        key.checkMatchesPublicKey();
        return key;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        return Jdk.sign("Ed25519", jdkKey, data);
    }
}
