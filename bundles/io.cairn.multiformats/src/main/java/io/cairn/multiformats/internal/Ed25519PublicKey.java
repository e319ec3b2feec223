package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;

/** An Ed25519 public key: the 32-byte RFC 8032 encoding, verified with the JDK. */
public final class Ed25519PublicKey extends AbstractPublicKey {
    static final int LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;

    /** Made on first verification: peer ids inline these keys and are parsed far more often than used. */
    private volatile PublicKey jdkKey;

    private Ed25519PublicKey(byte[] raw) {
        super(KeyType.ED25519, raw);
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

    /** RFC 8032 encoding: y little-endian, with the parity of x in the top bit of the last byte. */
    static Ed25519PublicKey fromJdk(EdECPublicKey key) {
        EdECPoint point = key.getPoint();
        byte[] bigEndian = point.getY().toByteArray();
        byte[] raw = new byte[LENGTH];
        for (int i = 0; i < LENGTH && i < bigEndian.length; i++) {
            raw[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (point.isXOdd()) {
            raw[LENGTH - 1] |= (byte) 0x80;
        }
        Ed25519PublicKey result = new Ed25519PublicKey(raw);
        result.jdkKey = key;
        return result;
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        PublicKey key = jdkKey();
        return key != null && signature.length == SIGNATURE_LENGTH && Jdk.verify("Ed25519", key, data, signature);
    }

    /** @return the JDK key, or null if the JDK refuses these bytes as a point */
    private PublicKey jdkKey() {
        PublicKey key = jdkKey;
        if (key == null) {
            byte[] raw = raw();
            boolean xOdd = (raw[LENGTH - 1] & 0x80) != 0;
            raw[LENGTH - 1] &= 0x7f;
            byte[] bigEndian = new byte[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                bigEndian[i] = raw[LENGTH - 1 - i];
            }
            EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
            try {
                key = Jdk.keyFactory("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
            } catch (InvalidKeySpecException e) {
                return null;
            }
            jdkKey = key;
        }
        return key;
    }
}
