package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PublicKey;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A secp256k1 private key: the 32-byte big-endian scalar. Signs as Bitcoin does, which libp2p follows:
 * ECDSA over SHA-256 with RFC 6979 nonces, S normalised to the low half, DER-encoded.
 */
public final class Secp256k1PrivateKey extends AbstractPrivateKey {
    private static final int LENGTH = 32;

    private final BigInteger scalar;
    private final Secp256k1PublicKey publicKey;

    private Secp256k1PrivateKey(byte[] data, BigInteger scalar) {
        super(KeyType.SECP256K1, data);
        this.scalar = scalar;
        this.publicKey = Secp256k1PublicKey.fromPoint(
                new FixedPointCombMultiplier().multiply(Secp256k1PublicKey.DOMAIN.getG(), scalar));
    }

    /**
     * @throws InvalidKeyException unless the data is 32 bytes holding a scalar in [1, n-1]
     */
    public static Secp256k1PrivateKey fromData(byte[] data) {
        if (data.length != LENGTH) {
            throw new InvalidKeyException("secp256k1 private keys are 32 bytes, not " + data.length);
        }
        BigInteger scalar = new BigInteger(1, data);
        if (scalar.signum() == 0 || scalar.compareTo(Secp256k1PublicKey.DOMAIN.getN()) >= 0) {
            throw new InvalidKeyException("secp256k1 private key is outside [1, n-1]");
        }
        return new Secp256k1PrivateKey(data.clone(), scalar);
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        BigInteger n = Secp256k1PublicKey.DOMAIN.getN();
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(scalar, Secp256k1PublicKey.DOMAIN));
        BigInteger[] rs = signer.generateSignature(Digests.sha256(data));
        BigInteger s = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
        return Secp256k1PublicKey.encodeSignature(rs[0], s);
    }
}
