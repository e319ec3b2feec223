package io.cairn.bench;

import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ed25519 verify and sign, one core: Cairn's keys (io.cairn.multiformats, on BouncyCastle's RFC 8032
 * code) beside the JDK's EdDSA and the raw BouncyCastle calls, same key and message, same run. Every
 * Noise handshake verifies one signature and makes one, so this bounds handshakes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Ed25519Bench {
  private PrivateKey key;
  private PublicKey publicKey;
  private byte[] message;
  private byte[] signature;
  private byte[] seed;
  private byte[] rawPublic;
  private java.security.Signature jdkSigner;
  private java.security.Signature jdkVerifier;
  private byte[] jdkSignature;

  @Setup
  public void setup() {
    key = Keys.generateEd25519();
    publicKey = key.publicKey();
    message = new byte[24 + 32]; // "noise-libp2p-static-key:" || X25519 key, what Noise signs
    new SecureRandom().nextBytes(message);
    signature = key.sign(message);
    byte[] protobuf = key.toProtobuf();
    seed = java.util.Arrays.copyOfRange(protobuf, 4, 36);
    rawPublic = publicKey.raw();
    try {
      java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      jdkSigner = java.security.Signature.getInstance("Ed25519");
      jdkSigner.initSign(pair.getPrivate());
      jdkSigner.update(message);
      jdkSignature = jdkSigner.sign();
      jdkVerifier = java.security.Signature.getInstance("Ed25519");
      jdkVerifier.initVerify(pair.getPublic());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public boolean verifyJdk() throws java.security.SignatureException {
    jdkVerifier.update(message);
    return jdkVerifier.verify(jdkSignature);
  }

  @Benchmark
  public byte[] signJdk() throws java.security.SignatureException {
    jdkSigner.update(message);
    return jdkSigner.sign();
  }

  @Benchmark
  public boolean verifyCairn() {
    return publicKey.verify(message, signature);
  }

  @Benchmark
  public boolean verifyBouncyCastleRaw() {
    return Ed25519.verify(signature, 0, rawPublic, 0, message, 0, message.length);
  }

  @Benchmark
  public byte[] signCairn() {
    return key.sign(message);
  }

  @Benchmark
  public byte[] signBouncyCastleRawDerivingPublicKey() {
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return sig;
  }
}
