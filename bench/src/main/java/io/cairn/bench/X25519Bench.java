package io.cairn.bench;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.bouncycastle.math.ec.rfc7748.X25519;
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
 * X25519 Diffie-Hellman, one core: the JDK's XDH beside BouncyCastle's RFC 7748 code in the same run.
 * A Noise XX handshake does four on each side (one key generation, three DH), so this bounds
 * handshakes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class X25519Bench {
  private KeyPair jdkOurs;
  private java.security.PublicKey jdkTheirs;
  private final byte[] bcPrivate = new byte[X25519.SCALAR_SIZE];
  private final byte[] bcTheirs = new byte[X25519.POINT_SIZE];

  @Setup
  public void setup() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
    jdkOurs = g.generateKeyPair();
    jdkTheirs = g.generateKeyPair().getPublic();
    SecureRandom random = new SecureRandom();
    X25519.generatePrivateKey(random, bcPrivate);
    byte[] other = new byte[X25519.SCALAR_SIZE];
    X25519.generatePrivateKey(random, other);
    X25519.generatePublicKey(other, 0, bcTheirs, 0);
  }

  @Benchmark
  public byte[] dhJdk() throws Exception {
    KeyAgreement ka = KeyAgreement.getInstance("X25519");
    ka.init(jdkOurs.getPrivate());
    ka.doPhase(jdkTheirs, true);
    return ka.generateSecret();
  }

  @Benchmark
  public byte[] dhBouncyCastle() {
    byte[] shared = new byte[X25519.POINT_SIZE];
    X25519.calculateAgreement(bcPrivate, 0, bcTheirs, 0, shared, 0);
    return shared;
  }

  @Benchmark
  public KeyPair keygenJdk() throws Exception {
    return KeyPairGenerator.getInstance("X25519").generateKeyPair();
  }

  @Benchmark
  public byte[] keygenBouncyCastle() {
    byte[] priv = new byte[X25519.SCALAR_SIZE];
    byte[] pub = new byte[X25519.POINT_SIZE];
    X25519.generatePrivateKey(RANDOM, priv);
    X25519.generatePublicKey(priv, 0, pub, 0);
    return pub;
  }

  private static final SecureRandom RANDOM = new SecureRandom();
}
