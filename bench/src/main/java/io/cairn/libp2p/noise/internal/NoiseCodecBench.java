package io.cairn.libp2p.noise.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.service.log.Logger;

/**
 * The Noise transport codec beside the hardware ceiling, the bare JDK ChaCha20-Poly1305 on the same
 * buffers, in one run: each operation encrypts and decrypts one write of 16 full frames
 * (16 x 65,519 = 1,048,304 bytes of plaintext). MB/s = ops/s x 1.048. Heap: arrays in and out (the
 * cipher's best case); direct: the ciphertext reaches the reader in a direct buffer, as from a socket.
 * The bar (issue 3): the codec at 80% of the bare cipher or better.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class NoiseCodecBench {
  static final int FRAMES = NoiseTransportCodec.FRAMES_PER_BUFFER;
  static final int WRITE = FRAMES * NoiseTransportCodec.MAX_PLAINTEXT;

  private byte[] plaintext;
  private Cipher encrypt;
  private Cipher decrypt;
  private SecretKeySpec key;
  private ByteBuffer heapCiphertext;
  private ByteBuffer directCiphertext;
  private ByteBuffer decrypted;
  private final byte[] nonce = new byte[12];
  private long counter;
  private EmbeddedChannel writer;
  private EmbeddedChannel reader;

  private static CipherState keyed(int seed) {
    CipherState state = new CipherState();
    byte[] k = new byte[CipherState.KEY_LENGTH];
    java.util.Arrays.fill(k, (byte) seed);
    state.initializeKey(k);
    return state;
  }

  private static Logger silentLogger() {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (p, m, a) -> m.getReturnType() == boolean.class ? false : m.getReturnType() == String.class ? "bench" : null);
  }

  @Setup
  public void setup() throws GeneralSecurityException {
    plaintext = new byte[WRITE];
    new Random(3).nextBytes(plaintext);
    key = new SecretKeySpec(new byte[32], "ChaCha20");
    encrypt = Cipher.getInstance("ChaCha20-Poly1305");
    decrypt = Cipher.getInstance("ChaCha20-Poly1305");
    int frame = NoiseTransportCodec.MAX_PLAINTEXT + CipherState.TAG_LENGTH;
    heapCiphertext = ByteBuffer.allocate(frame);
    directCiphertext = ByteBuffer.allocateDirect(frame);
    decrypted = ByteBuffer.allocate(NoiseTransportCodec.MAX_PLAINTEXT);
    writer = new EmbeddedChannel(new NoiseTransportCodec(keyed(1), keyed(2), silentLogger()));
    reader = new EmbeddedChannel(new NoiseFrameDecoder(65535), new NoiseTransportCodec(keyed(3), keyed(1), silentLogger()));
  }

  @TearDown
  public void tearDown() {
    writer.finishAndReleaseAll();
    reader.finishAndReleaseAll();
  }

  private long bare(ByteBuffer ciphertext) throws GeneralSecurityException {
    long sum = 0;
    for (int frame = 0; frame < FRAMES; frame++) {
      nonce[4] = (byte) counter;
      nonce[5] = (byte) (counter >>> 8);
      nonce[6] = (byte) (counter++ >>> 16);
      encrypt.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      encrypt.doFinal(ByteBuffer.wrap(plaintext, frame * NoiseTransportCodec.MAX_PLAINTEXT, NoiseTransportCodec.MAX_PLAINTEXT),
          ciphertext.clear());
      decrypt.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
      sum += decrypt.doFinal(ciphertext.flip(), decrypted.clear());
    }
    return sum;
  }

  @Benchmark
  public long bareCipherHeap() throws GeneralSecurityException {
    return bare(heapCiphertext);
  }

  @Benchmark
  public long bareCipherDirect() throws GeneralSecurityException {
    return bare(directCiphertext);
  }

  private long codec(boolean direct) {
    writer.writeAndFlush(Unpooled.wrappedBuffer(plaintext));
    long received = 0;
    for (ByteBuf frames = writer.readOutbound(); frames != null; frames = writer.readOutbound()) {
      if (direct) {
        ByteBuf copy = ByteBufAllocator.DEFAULT.directBuffer(frames.readableBytes()).writeBytes(frames);
        frames.release();
        frames = copy;
      }
      reader.writeInbound(frames);
    }
    for (ByteBuf read = reader.readInbound(); read != null; read = reader.readInbound()) {
      received += read.readableBytes();
      read.release();
    }
    if (received != WRITE) {
      throw new IllegalStateException("read back " + received + " of " + WRITE);
    }
    return received;
  }

  @Benchmark
  public long codecHeap() {
    return codec(false);
  }

  @Benchmark
  public long codecDirect() {
    return codec(true);
  }
}
