package io.cairn.libp2p.noise.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The codec's cost over the cipher itself: encrypting and decrypting 64 KiB frames through the Netty
 * handlers must reach 80% of the JDK's ChaCha20-Poly1305 alone on the same buffers, both with heap
 * arrays (the cipher's best case) and with the ciphertext in direct buffers, as sockets deliver it.
 */
class NoiseTransportCodecThroughputTest {
  private static final int FRAMES = NoiseTransportCodec.FRAMES_PER_BUFFER;
  private static final int WRITE = FRAMES * NoiseTransportCodec.MAX_PLAINTEXT;
  private static final int ROUNDS = 64;

  @Test
  void codecReachesEightyPercentOfTheBareCipher() throws Exception {
    // The leak detector's stack traces would be most of what this measures; its own tests run with it on.
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    try {
      byte[] plaintext = new byte[WRITE];
      new Random(3).nextBytes(plaintext);
      // Best of several trials: the first ones warm the JIT up, and the best is the least disturbed.
      long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
      for (int trial = 0; trial < 7; trial++) {
        best[0] = Math.min(best[0], bareCipher(plaintext, false));
        best[1] = Math.min(best[1], codec(plaintext, false));
        best[2] = Math.min(best[2], bareCipher(plaintext, true));
        best[3] = Math.min(best[3], codec(plaintext, true));
      }
      double mebibytes = (double) WRITE * ROUNDS / (1 << 20);
      System.out.printf("encrypt+decrypt of %.0f MiB in 64 KiB frames, MiB/s: heap: cipher %.0f, codec %.0f;"
          + " ciphertext direct: cipher %.0f, codec %.0f%n", mebibytes, mebibytes * 1e9 / best[0],
          mebibytes * 1e9 / best[1], mebibytes * 1e9 / best[2], mebibytes * 1e9 / best[3]);
      assertTrue(best[0] / (double) best[1] >= 0.8, "codec at " + 100 * best[0] / best[1] + "% of the cipher (heap)");
      assertTrue(best[2] / (double) best[3] >= 0.8, "codec at " + 100 * best[2] / best[3] + "% of the cipher (direct)");
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
  }

  /**
   * Nanoseconds for bare JDK ciphers to encrypt every frame of ROUNDS writes from the plaintext into a
   * ciphertext buffer and decrypt it back into a plaintext buffer. On heap arrays, in place, it is the
   * JDK's best case; with the ciphertext in a direct buffer (as the codec's reader gets it from a
   * socket) the JDK copies through arrays of its own.
   */
  private static long bareCipher(byte[] plaintext, boolean direct) throws GeneralSecurityException {
    SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
    Cipher encrypt = Cipher.getInstance("ChaCha20-Poly1305");
    Cipher decrypt = Cipher.getInstance("ChaCha20-Poly1305");
    int frameLength = NoiseTransportCodec.MAX_PLAINTEXT + CipherState.TAG_LENGTH;
    ByteBuffer ciphertext = direct ? ByteBuffer.allocateDirect(frameLength) : ByteBuffer.allocate(frameLength);
    ByteBuffer decrypted = direct ? ByteBuffer.allocate(NoiseTransportCodec.MAX_PLAINTEXT) : ciphertext;
    byte[] nonce = new byte[12];
    long counter = 0;
    long start = System.nanoTime();
    for (int round = 0; round < ROUNDS; round++) {
      for (int frame = 0; frame < FRAMES; frame++) {
        nonce[4] = (byte) counter;
        nonce[5] = (byte) (counter++ >>> 8);
        encrypt.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        ByteBuffer in = ByteBuffer.wrap(plaintext, frame * NoiseTransportCodec.MAX_PLAINTEXT, NoiseTransportCodec.MAX_PLAINTEXT);
        encrypt.doFinal(in, ciphertext.clear());
        decrypt.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
        decrypt.doFinal(ciphertext.flip(), decrypted.duplicate().clear().limit(NoiseTransportCodec.MAX_PLAINTEXT));
      }
    }
    return System.nanoTime() - start;
  }

  /**
   * Nanoseconds the codecs take to write ROUNDS plaintexts through one and read them through another;
   * the ciphertext reaches the reader in direct buffers, as from a socket, when {@code direct} (the copy
   * that puts it there is not counted).
   */
  private static long codec(byte[] plaintext, boolean direct) {
    EmbeddedChannel writer = new EmbeddedChannel(
        new NoiseTransportCodec(NoiseTransportCodecTest.keyed(1), NoiseTransportCodecTest.keyed(2), new TestLog().logger));
    EmbeddedChannel reader = new EmbeddedChannel(new NoiseFrameDecoder(65535),
        new NoiseTransportCodec(NoiseTransportCodecTest.keyed(3), NoiseTransportCodecTest.keyed(1), new TestLog().logger));
    ByteBufAllocator alloc = writer.alloc();
    long received = 0;
    long elapsed = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      writer.writeAndFlush(Unpooled.wrappedBuffer(plaintext));
      ByteBuf frames = writer.readOutbound();
      elapsed += System.nanoTime() - start;
      if (direct) {
        ByteBuf copy = alloc.directBuffer(frames.readableBytes()).writeBytes(frames);
        frames.release();
        frames = copy;
      }
      start = System.nanoTime();
      reader.writeInbound(frames);
      for (ByteBuf read = reader.readInbound(); read != null; read = reader.readInbound()) {
        received += read.readableBytes();
        read.release();
      }
      elapsed += System.nanoTime() - start;
    }
    assertEquals((long) WRITE * ROUNDS, received);
    writer.finishAndReleaseAll();
    reader.finishAndReleaseAll();
    return elapsed;
  }
}
