package io.cairn.bitswap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random input, fixed seed, wherever a peer's bytes go: the codec's decode and the stream's
 * two decoders. The invariant: an input decodes, or fails with a {@link MalformedMessageException} or a
 * {@link MessageTooLargeException}, and nothing else escapes; a decoded message re-encodes (1.2.0) to a
 * body that decodes to the same message; a decoded block's {@code cid()} hashes or is refused as
 * malformed; no buffer leaks (checked after each test).
 *
 * <p>Every input of the regression corpus {@code fuzz-corpus.txt} (test resources) is checked on every
 * build and seeds the mutations. A failing input is printed in hex: fix the cause, then add the input
 * to the corpus with a line saying what it exercises.
 */
class BitswapFuzzTest {
  private static final long SEED = 0xB175_3A9FL;
  private static final int RUNS = 20_000;
  /** Small limits, so that mutations reach them. */
  private static final MessageLimits LIMITS = new MessageLimits(64 * 1024, 16, 4, 16, 80);
  /** A re-encoded message may be longer than the input was (a 5-byte -1 becomes 10 bytes), never fuller. */
  private static final MessageLimits REENCODED = new MessageLimits(MessageLimits.MAX_MESSAGE_BYTES, 16, 4, 16, 80);

  @Test
  void theCorpusKeepsTheInvariant() throws IOException {
    List<byte[]> corpus = corpus();
    assertTrue(corpus.size() >= 10, "the corpus is there: " + corpus.size());
    for (byte[] input : corpus) {
      check(input);
    }
  }

  @Test
  void mutatedBodiesDecodeOrFailAsMalformed() throws IOException {
    Random random = new Random(SEED);
    List<byte[]> seeds = seeds(random);
    int decoded = 0;
    for (int run = 0; run < RUNS; run++) {
      byte[] input = mutate(random, seeds);
      if (check(input)) {
        decoded++;
      }
    }
    assertTrue(decoded > RUNS / 20 && decoded < RUNS - RUNS / 20, "the fuzzer reaches both outcomes: " + decoded);
  }

  @Test
  void randomStreamsThroughTheDecodersFailOnlyAsMalformed() throws IOException {
    Random random = new Random(SEED + 1);
    List<byte[]> seeds = seeds(random);
    int failed = 0;
    for (int run = 0; run < RUNS / 10; run++) {
      ByteBuf stream = ByteBufAllocator.DEFAULT.buffer();
      for (int messages = 1 + random.nextInt(4); messages > 0; messages--) {
        byte[] body = random.nextInt(4) == 0 ? seeds.get(random.nextInt(seeds.size())) : mutate(random, seeds);
        int length = random.nextInt(20) == 0 ? random.nextInt() & Integer.MAX_VALUE : body.length;
        Wire.writeVarint(stream, length);
        stream.writeBytes(body);
      }
      byte[] bytes = ByteBufUtil.getBytes(stream);
      stream.release();
      Catcher catcher = new Catcher();
      EmbeddedChannel channel = new EmbeddedChannel(new BitswapFrameDecoder(LIMITS.maxMessageBytes()),
          new BitswapMessageDecoder(LIMITS), catcher);
      for (int at = 0; at < bytes.length; ) {
        int chunk = 1 + random.nextInt(Math.min(bytes.length - at, 512));
        channel.writeInbound(TestMessages.buffer(bytes, at, chunk));
        at += chunk;
      }
      assertFalse(channel.finish(), "every message went to the catcher");
      for (Throwable failure : catcher.failures) {
        if (!(failure instanceof MalformedMessageException) && !(failure instanceof MessageTooLargeException)) {
          throw new AssertionError("stream " + ByteBufUtil.hexDump(bytes) + " failed with " + failure, failure);
        }
      }
      failed += catcher.failures.isEmpty() ? 0 : 1;
    }
    assertTrue(failed > 0 && failed < RUNS / 10, "streams reach both outcomes: " + failed);
  }

  /** The pipeline's last handler: keeps what arrives, so that EmbeddedChannel rethrows nothing. */
  private static final class Catcher extends ChannelInboundHandlerAdapter {
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      assertTrue(msg instanceof BitswapMessage, String.valueOf(msg));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.add(cause);
    }
  }

  /** @return whether the input decoded; throws an AssertionError naming the input if the invariant broke */
  private static boolean check(byte[] input) {
    BitswapMessage message;
    ByteBuf body = TestMessages.buffer(input);
    try {
      message = BitswapCodec.decode(body, LIMITS);
    } catch (MalformedMessageException | MessageTooLargeException e) {
      return false;
    } catch (RuntimeException e) {
      throw new AssertionError("input " + ByteBufUtil.hexDump(input) + " escaped the decoder with " + e, e);
    } finally {
      body.release();
    }
    try {
      ByteBuf again = TestMessages.body(message, BitswapProtocol.V1_2_0);
      try {
        assertEquals(message, BitswapCodec.decode(again, REENCODED));
      } finally {
        again.release();
      }
      for (BlockPayload block : message.blocks()) {
        try {
          assertNotNull(block.cid());
        } catch (MalformedMessageException expected) {
          // An unverifiable prefix: the receiver drops the block.
        }
      }
      return true;
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("input " + ByteBufUtil.hexDump(input) + " broke the invariant: " + e, e);
    }
  }

  private static List<byte[]> corpus() throws IOException {
    List<byte[]> inputs = new ArrayList<>();
    try (InputStream in = BitswapFuzzTest.class.getResourceAsStream("fuzz-corpus.txt")) {
      assertNotNull(in, "fuzz-corpus.txt beside this class in the test resources");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line; (line = reader.readLine()) != null; ) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          inputs.add(ByteBufUtil.decodeHexDump(line));
        }
      }
    }
    return inputs;
  }

  /** The corpus, and well-formed bodies of every version to mutate. */
  private static List<byte[]> seeds(Random random) throws IOException {
    List<byte[]> seeds = new ArrayList<>(corpus());
    for (int i = 0; i < 60; i++) {
      BitswapMessage message = TestMessages.random(random);
      message = new BitswapMessage(message.wantlist().subList(0, Math.min(20, message.wantlist().size())), message.full(),
          message.blocks().subList(0, Math.min(4, message.blocks().size())),
          message.presences().subList(0, Math.min(20, message.presences().size())), message.pendingBytes());
      ByteBuf body = TestMessages.body(message, BitswapProtocol.values()[i % 3]);
      seeds.add(ByteBufUtil.getBytes(body));
      body.release();
    }
    return seeds;
  }

  private static byte[] mutate(Random random, List<byte[]> seeds) {
    byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
    for (int mutations = 1 + random.nextInt(4); mutations > 0; mutations--) {
      int at = input.length == 0 ? 0 : random.nextInt(input.length);
      switch (random.nextInt(8)) {
        case 0 -> {
          if (input.length > 0) {
            input[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          if (input.length > 0) {
            byte[] interesting = {0x00, 0x01, 0x02, 0x05, 0x7f, (byte) 0x80, (byte) 0xff, 0x0a, 0x12, 0x1a, 0x22, 0x28};
            input[at] = interesting[random.nextInt(interesting.length)];
          }
        }
        case 2 -> {
          byte[] inserted = new byte[1 + random.nextInt(8)];
          random.nextBytes(inserted);
          input = splice(input, at, inserted, at);
        }
        case 3 -> input = splice(input, at, new byte[0], Math.min(input.length, at + 1 + random.nextInt(16)));
        case 4 -> input = Arrays.copyOf(input, at);
        case 5 -> {
          int length = Math.min(input.length - at, 1 + random.nextInt(64));
          input = splice(input, random.nextInt(input.length + 1), Arrays.copyOfRange(input, at, at + length), -1);
        }
        case 6 -> {
          byte[] other = seeds.get(random.nextInt(seeds.size()));
          int from = other.length == 0 ? 0 : random.nextInt(other.length);
          input = splice(Arrays.copyOf(input, at), at, Arrays.copyOfRange(other, from, other.length), at);
        }
        default -> {
          ByteBuf varint = ByteBufAllocator.DEFAULT.buffer();
          Wire.writeVarint(varint, random.nextBoolean() ? random.nextInt(300) : random.nextLong());
          input = splice(input, at, ByteBufUtil.getBytes(varint), Math.min(input.length, at + 1));
          varint.release();
        }
      }
    }
    return input;
  }

  /** @return {@code input} with {@code [at, resumeAt)} replaced by {@code inserted}; -1 resumes at {@code at} */
  private static byte[] splice(byte[] input, int at, byte[] inserted, int resumeAt) {
    int resume = resumeAt < 0 ? at : resumeAt;
    byte[] out = new byte[at + inserted.length + input.length - resume];
    System.arraycopy(input, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(input, resume, out, at + inserted.length, input.length - resume);
    return out;
  }
}
