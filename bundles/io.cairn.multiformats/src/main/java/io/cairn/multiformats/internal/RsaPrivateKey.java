package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PublicKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;

/** An RSA private key stored as PKCS#1 DER, 2048 to 8192 bits. Signs SHA-256 PKCS#1 v1.5 with the JDK. */
public final class RsaPrivateKey extends AbstractPrivateKey {
    private final RsaPublicKey publicKey;
    private final RSAPrivateCrtKey jdkKey;

    private RsaPrivateKey(byte[] data, RsaPublicKey publicKey, RSAPrivateCrtKey jdkKey) {
        super(KeyType.RSA, data);
        this.publicKey = publicKey;
        this.jdkKey = jdkKey;
    }

    /**
     * @throws InvalidKeyException unless the data is a consistent PKCS#1 RSA key of an accepted size
     */
    public static RsaPrivateKey fromData(byte[] data) {
        KeyFactory factory = Jdk.keyFactory("RSA");
        RSAPrivateCrtKey key;
        byte[] spki;
        try {
            // The JDK reads PKCS#8, which wraps PKCS#1 with an algorithm identifier.
            byte[] pkcs8 = Der.tlv(Der.SEQUENCE, Der.VERSION_0, Der.RSA_ALGORITHM, Der.tlv(Der.OCTET_STRING, data));
            if (!(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof RSAPrivateCrtKey crt)) {
                throw new InvalidKeyException("RSA private key lacks its CRT parameters");
            }
            key = crt;
            RsaPublicKey.checkSize(key.getModulus().bitLength());
            spki = factory.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("not a PKCS#1 RSA private key the JDK accepts", e);
        }
        if (!consistent(key)) {
            throw new InvalidKeyException("RSA private key parameters are inconsistent");
        }
        RsaPrivateKey privateKey = new RsaPrivateKey(data.clone(), RsaPublicKey.fromRaw(spki), key);
        privateKey.checkMatchesPublicKey();
        return privateKey;
    }

    /**
     * The checks of Go's rsa.PrivateKey.Validate plus the CRT values the JDK signs with: cheap next to the
     * signature that {@link #checkMatchesPublicKey()} then makes.
     */
    private static boolean consistent(RSAPrivateCrtKey key) {
        BigInteger p = key.getPrimeP();
        BigInteger q = key.getPrimeQ();
        BigInteger d = key.getPrivateExponent();
        BigInteger e = key.getPublicExponent();
        if (p.compareTo(BigInteger.ONE) <= 0 || q.compareTo(BigInteger.ONE) <= 0
                || !p.multiply(q).equals(key.getModulus())) {
            return false;
        }
        BigInteger pMinus1 = p.subtract(BigInteger.ONE);
        BigInteger qMinus1 = q.subtract(BigInteger.ONE);
        return e.multiply(d).mod(pMinus1).equals(BigInteger.ONE)
                && e.multiply(d).mod(qMinus1).equals(BigInteger.ONE)
                && d.mod(pMinus1).equals(key.getPrimeExponentP())
                && d.mod(qMinus1).equals(key.getPrimeExponentQ())
                && key.getCrtCoefficient().multiply(q).mod(p).equals(BigInteger.ONE);
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        return Jdk.sign("SHA256withRSA", jdkKey, data);
    }
}
