package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * An ECDSA public key on a curve the JDK supports (P-256, P-384, P-521), as DER SubjectPublicKeyInfo.
 * Verifies DER signatures over SHA-256 with the JDK.
 */
public final class EcdsaPublicKey extends AbstractPublicKey {
    private final ECPublicKey jdkKey;

    private EcdsaPublicKey(byte[] raw, ECPublicKey jdkKey) {
        super(KeyType.ECDSA, raw);
        this.jdkKey = jdkKey;
    }

    /**
     * @throws InvalidKeyException unless the key is canonical DER of a named-curve point on its curve
     */
    public static EcdsaPublicKey fromRaw(byte[] raw) {
        ECPublicKey key;
        try {
            key = (ECPublicKey) Jdk.keyFactory("EC").generatePublic(new X509EncodedKeySpec(raw));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException("not an ECDSA SubjectPublicKeyInfo the JDK accepts", e);
        }
        // Peer ids hash these bytes, so only the one canonical encoding of a key may be accepted.
        if (!Arrays.equals(key.getEncoded(), raw)) {
            throw new InvalidKeyException("ECDSA public key is not in canonical named-curve DER");
        }
        if (!onCurve(key.getW(), key.getParams().getCurve())) {
            throw new InvalidKeyException("ECDSA public key is not a point on its curve");
        }
        return new EcdsaPublicKey(raw.clone(), key);
    }

    private static boolean onCurve(ECPoint point, EllipticCurve curve) {
        if (point.equals(ECPoint.POINT_INFINITY) || !(curve.getField() instanceof ECFieldFp field)) {
            return false;
        }
        BigInteger p = field.getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        return Jdk.verify("SHA256withECDSA", jdkKey, data, signature);
    }
}
