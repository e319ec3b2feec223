package io.cairn.libp2p.noise.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import io.cairn.libp2p.spi.SecureSession;
import io.cairn.node.config.Configs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input wherever a peer's bytes go: the responder's first and second message and the
 * transport decoder. Each input may only end in a {@link NoiseException} of an expected kind and a
 * closed channel: no other throwable, no plaintext, no leaked buffer (checked after each test).
 */
class NoiseFuzzTest {
  private static final long SEED = 0x4e6f697365L;
  private static final int INPUTS = 5000;
  private static final List<String> MUXERS = List.of("/yamux/1.0.0");
  private static final Set<Reason> PEER_FAULTS = EnumSet.of(Reason.MALFORMED_MESSAGE, Reason.DECRYPTION_FAILED,
      Reason.TRUNCATED_FRAME, Reason.CONNECTION_CLOSED);

  private final Random random = new Random(SEED);
  private final TestLog log = new TestLog();
  private final NoiseTransport responder = new NoiseTransport(new TestIdentity(), log.logger, Configs.defaults(NoiseConfig.class));
  private final LocalIdentity initiatorIdentity = LocalIdentity.create(new TestIdentity());

  /** The last handler: counts plaintext that got through and keeps every exception that did. */
  private static final class Catcher extends ChannelInboundHandlerAdapter {
    final List<Throwable> failures = new ArrayList<>();
    int reads;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      reads++;
      ((ByteBuf) msg).release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.add(cause);
    }
  }

  private byte[] randomBytes(int maxLength) {
    byte[] bytes = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Random bytes as a peer might send them: framed, unframed, or framed with a length promising more. */
  private ByteBuf randomInput(int maxLength) {
    byte[] bytes = randomBytes(maxLength);
    return switch (random.nextInt(3)) {
      case 0 -> Wire.frame(bytes);
      case 1 -> Unpooled.wrappedBuffer(bytes);
      default -> Unpooled.buffer().writeShort(bytes.length + 1 + random.nextInt(100)).writeBytes(bytes);
    };
  }

  /** A valid message spoilt: one bit flipped, cut short, or lengthened. */
  private byte[] mutate(byte[] message) {
    return switch (random.nextInt(3)) {
      case 0 -> {
        byte[] flipped = message.clone();
        int bit = random.nextInt(flipped.length * 8);
        flipped[bit / 8] ^= (byte) (1 << bit % 8);
        yield flipped;
      }
      case 1 -> Arrays.copyOf(message, random.nextInt(message.length));
      default -> {
        byte[] extra = randomBytes(40);
        byte[] longer = Arrays.copyOf(message, message.length + 1 + extra.length);
        System.arraycopy(extra, 0, longer, message.length + 1, extra.length);
        yield longer;
      }
    };
  }

  private static void assertPeerFault(CompletableFuture<SecureSession> handshake, int input) {
    NoiseException e = NoiseTransportTest.failure(handshake);
    assertTrue(PEER_FAULTS.contains(e.reason()), "input " + input + ": " + e.reason() + " " + e.getMessage());
  }

  @Test
  void randomFirstMessages() {
    for (int i = 0; i < INPUTS; i++) {
      EmbeddedChannel channel = new EmbeddedChannel();
      CompletableFuture<SecureSession> accepted = responder.secure(channel, false, Optional.empty(), MUXERS);
      channel.writeInbound(randomInput(120)); // rethrows anything that got past the handshake
      channel.close();
      assertPeerFault(accepted, i);
      channel.finishAndReleaseAll(); // message 2, when the input passed for a first message
    }
  }

  @Test
  void randomAndMutatedSecondMessages() throws NoiseException {
    assertTrue(exchangeSecondMessage(false).isDone(), "an unspoilt second message completes the handshake");
    for (int i = 0; i < INPUTS; i++) {
      CompletableFuture<SecureSession> accepted = exchangeSecondMessage(true);
      assertPeerFault(accepted, i);
    }
  }

  /** Plays the initiator by hand up to its second message, which is random or mutated when {@code spoil}. */
  private CompletableFuture<SecureSession> exchangeSecondMessage(boolean spoil) throws NoiseException {
    EmbeddedChannel channel = new EmbeddedChannel();
    CompletableFuture<SecureSession> accepted = responder.secure(channel, false, Optional.empty(), MUXERS);
    HandshakeState initiator = new HandshakeState(true, new byte[0], initiatorIdentity.staticKey(), X25519::generate);
    channel.writeInbound(Wire.frame(initiator.writeMessage(new byte[0])));
    byte[] responderMessage = Wire.message(channel);
    ByteBuf input;
    if (spoil && random.nextBoolean()) {
      input = randomInput(300);
    } else {
      initiator.readMessage(responderMessage);
      byte[] third = initiator.writeMessage(initiatorIdentity.payload(MUXERS).encode());
      input = Wire.frame(spoil ? mutate(third) : third);
    }
    channel.writeInbound(input);
    channel.close();
    channel.finishAndReleaseAll();
    return accepted;
  }

  /**
   * The decrypted payload is checked by code the fuzzing above cannot reach through the encryption:
   * random payloads, and random keys of every type inside a well-formed payload.
   */
  @Test
  void randomPayloads() {
    byte[] staticKey = X25519.generate().publicKey();
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    for (int i = 0; i < INPUTS; i++) {
      byte[] bytes;
      if (random.nextBoolean()) {
        bytes = randomBytes(200);
      } else {
        // A key protobuf as multiformats reads it: type (one of four, or unknown), then the data, often
        // of the length an Ed25519 or secp256k1 key has, so that some reach signature verification.
        byte[] keyData = switch (random.nextInt(3)) {
          case 0 -> new byte[32];
          case 1 -> new byte[33];
          default -> new byte[random.nextInt(301)];
        };
        random.nextBytes(keyData);
        byte[] header = keyData.length < 128
            ? new byte[] {0x08, (byte) random.nextInt(5), 0x12, (byte) keyData.length}
            : new byte[] {0x08, (byte) random.nextInt(5), 0x12, (byte) (keyData.length | 0x80), (byte) (keyData.length >>> 7)};
        byte[] key = Arrays.copyOf(header, header.length + keyData.length);
        System.arraycopy(keyData, 0, key, header.length, keyData.length);
        bytes = new HandshakePayload(key, randomBytes(80), List.of()).encode();
      }
      try {
        HandshakePayload.decode(bytes).authenticate(staticKey);
      } catch (NoiseException e) {
        assertTrue(EnumSet.of(Reason.MALFORMED_MESSAGE, Reason.INVALID_IDENTITY_KEY, Reason.BAD_SIGNATURE)
            .contains(e.reason()), "input " + i + ": " + e.reason());
        seen.add(e.reason());
        continue;
      }
      throw new AssertionError("input " + i + " authenticated");
    }
    assertEquals(EnumSet.of(Reason.MALFORMED_MESSAGE, Reason.INVALID_IDENTITY_KEY, Reason.BAD_SIGNATURE), seen);
  }

  @Test
  void randomAndMutatedTransportMessages() throws NoiseException {
    for (int i = 0; i < INPUTS; i++) {
      CipherState sender = NoiseTransportCodecTest.keyed(7);
      Catcher catcher = new Catcher();
      EmbeddedChannel channel = new EmbeddedChannel(new NoiseFrameDecoder(65535),
          new NoiseTransportCodec(NoiseTransportCodecTest.keyed(8), NoiseTransportCodecTest.keyed(7), log.logger), catcher);
      ByteBuf input;
      if (random.nextBoolean()) {
        input = randomInput(200);
      } else {
        byte[] plaintext = randomBytes(100);
        byte[] message = new byte[plaintext.length + CipherState.TAG_LENGTH];
        sender.encrypt(ByteBuffer.wrap(plaintext), ByteBuffer.wrap(message));
        input = Wire.frame(mutate(message));
        if (random.nextInt(4) == 0) {
          input.setShort(0, input.getShort(0) ^ 1 << random.nextInt(16)); // a length prefix gone wrong
        }
      }
      boolean someInput = input.isReadable();
      channel.writeInbound(input);
      channel.close();
      assertEquals(0, catcher.reads, "input " + i + " decrypted");
      for (Throwable failure : catcher.failures) {
        NoiseException e = assertInstanceOf(NoiseException.class, failure, "input " + i);
        assertTrue(PEER_FAULTS.contains(e.reason()), "input " + i + ": " + e.reason());
      }
      assertTrue(!someInput || !catcher.failures.isEmpty(), "input " + i + " passed unnoticed");
      assertFalse(channel.finish());
    }
  }
}
