package io.cairn.multiformats.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** JDK crypto services every Java 21 platform provides, so their absence is a broken platform. */
final class Jdk {
    private Jdk() {
    }

    static KeyFactory keyFactory(String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java platform lacks " + algorithm + " keys", e);
        }
    }

    /** @return whether {@code signature} verifies; false also when the JDK finds it or the key malformed */
    static boolean verify(String algorithm, PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java platform lacks " + algorithm, e);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        }
    }

    static byte[] sign(String algorithm, PrivateKey key, byte[] data) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            // Only a key whose parameters the JDK accepted but cannot compute with gets here; keys are
            // checked by signing once when they are read, which turns this into an invalid-key error.
            throw new IllegalStateException(algorithm + " signing failed", e);
        }
    }
}
