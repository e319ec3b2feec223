package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key: a 33-byte compressed point, checked to lie on the curve. Verifies DER ECDSA
 * signatures over SHA-256 with BouncyCastle's low-level API, the JDK having dropped this curve.
 */
public final class Secp256k1PublicKey extends AbstractPublicKey {
    static final ECDomainParameters DOMAIN;

    static {
        X9ECParameters curve = CustomNamedCurves.getByName("secp256k1");
        DOMAIN = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
    }

    private static final int COMPRESSED_LENGTH = 33;

    private final ECPoint point;

    private Secp256k1PublicKey(byte[] raw, ECPoint point) {
        super(KeyType.SECP256K1, raw);
        this.point = point;
    }

    /**
     * @throws InvalidKeyException unless the key is a compressed point on the curve
     */
    public static Secp256k1PublicKey fromRaw(byte[] raw) {
        if (raw.length != COMPRESSED_LENGTH || (raw[0] != 2 && raw[0] != 3)) {
            throw new InvalidKeyException("secp256k1 public keys are 33-byte compressed points");
        }
        ECPoint point;
        try {
            point = DOMAIN.getCurve().decodePoint(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("secp256k1 public key is not a point on the curve", e);
        }
        if (point.isInfinity() || !point.isValid()) {
            throw new InvalidKeyException("secp256k1 public key is not a valid curve point");
        }
        return new Secp256k1PublicKey(raw.clone(), point);
    }

    static Secp256k1PublicKey fromPoint(ECPoint point) {
        ECPoint normalized = point.normalize();
        return new Secp256k1PublicKey(normalized.getEncoded(true), normalized);
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        BigInteger r;
        BigInteger s;
        try {
            Der.Reader outer = new Der.Reader(signature);
            Der.Reader sequence = outer.enter(Der.SEQUENCE);
            r = sequence.readNonNegativeInteger();
            s = sequence.readNonNegativeInteger();
            if (!sequence.atEnd() || !outer.atEnd()) {
                return false;
            }
        } catch (InvalidKeyException malformedSignature) {
            return false;
        }
        // The signer itself rejects r and s outside [1, n-1].
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(point, DOMAIN));
        return verifier.verifySignature(Digests.sha256(data), r, s);
    }

    /** @return the DER {@code SEQUENCE {r, s}} form of an ECDSA signature */
    static byte[] encodeSignature(BigInteger r, BigInteger s) {
        return Der.tlv(Der.SEQUENCE, Der.integer(r), Der.integer(s));
    }
}
