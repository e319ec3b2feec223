package io.cairn.multiformats.internal;

import io.cairn.multiformats.InvalidKeyException;
import io.cairn.multiformats.KeyType;
import io.cairn.multiformats.PublicKey;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * An ECDSA private key stored as a SEC 1 {@code ECPrivateKey} (as Go's x509.MarshalECPrivateKey writes
 * it), which must name its curve and carry its public key: the JDK offers no way to derive it.
 */
public final class EcdsaPrivateKey extends AbstractPrivateKey {
    private final EcdsaPublicKey publicKey;
    private final PrivateKey jdkKey;

    private EcdsaPrivateKey(byte[] data, EcdsaPublicKey publicKey, PrivateKey jdkKey) {
        super(KeyType.ECDSA, data);
        this.publicKey = publicKey;
        this.jdkKey = jdkKey;
    }

    /**
     * @throws InvalidKeyException unless the data is a SEC 1 key with curve and public key that match
     */
    public static EcdsaPrivateKey fromData(byte[] data) {
        Der.Reader outer = new Der.Reader(data);
        Der.Reader sec1 = outer.enter(Der.SEQUENCE);
        if (!outer.atEnd()) {
            throw new InvalidKeyException("trailing bytes after the SEC 1 private key");
        }
        byte[] version = sec1.read(Der.INTEGER);
        if (version.length != 1 || version[0] != 1) {
            throw new InvalidKeyException("unsupported SEC 1 private key version");
        }
        sec1.read(Der.OCTET_STRING);
        if (sec1.peekTag() != Der.CONTEXT_0) {
            throw new InvalidKeyException("SEC 1 private key does not name its curve");
        }
        byte[] curve = sec1.enter(Der.CONTEXT_0).readWhole(Der.OBJECT_IDENTIFIER);
        if (sec1.peekTag() != Der.CONTEXT_1) {
            throw new InvalidKeyException("SEC 1 private key does not carry its public key");
        }
        byte[] publicPoint = sec1.enter(Der.CONTEXT_1).read(Der.BIT_STRING);
        if (!sec1.atEnd()) {
            throw new InvalidKeyException("unexpected fields in the SEC 1 private key");
        }
        byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.EC_PUBLIC_KEY_OID, curve);
        EcdsaPublicKey publicKey = EcdsaPublicKey.fromRaw(
                Der.tlv(Der.SEQUENCE, algorithm, Der.tlv(Der.BIT_STRING, publicPoint)));
        PrivateKey jdkKey;
        try {
            byte[] pkcs8 = Der.tlv(Der.SEQUENCE, Der.VERSION_0, algorithm, Der.tlv(Der.OCTET_STRING, data));
            jdkKey = Jdk.keyFactory("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException("the JDK refuses this ECDSA private key", e);
        }
        EcdsaPrivateKey key = new EcdsaPrivateKey(data.clone(), publicKey, jdkKey);
        key.checkMatchesPublicKey();
        return key;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        return Jdk.sign("SHA256withECDSA", jdkKey, data);
    }
}
