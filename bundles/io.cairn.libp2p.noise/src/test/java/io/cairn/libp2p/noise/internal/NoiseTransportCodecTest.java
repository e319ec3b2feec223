package io.cairn.libp2p.noise.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The transport codec on its own, keyed directly rather than by a handshake. */
class NoiseTransportCodecTest {
  private final TestLog log = new TestLog();
  private final CipherState send = keyed(1);
  private final CipherState receive = keyed(1);
  private final EmbeddedChannel sender = new EmbeddedChannel(new NoiseTransportCodec(send, keyed(2), log.logger));
  private final EmbeddedChannel receiver = new EmbeddedChannel(new NoiseFrameDecoder(65535),
      new NoiseTransportCodec(keyed(3), receive, log.logger));

  static CipherState keyed(int seed) {
    byte[] key = new byte[CipherState.KEY_LENGTH];
    key[0] = (byte) seed;
    CipherState state = new CipherState();
    state.initializeKey(key);
    return state;
  }

  @Test
  void messagesOtherThanBuffersAreRefusedRatherThanSentInTheClear() {
    ChannelFuture written = sender.writeAndFlush("plain text");
    assertInstanceOf(UnsupportedMessageTypeException.class, written.cause());
    assertNull(sender.readOutbound());
    assertFalse(sender.finish());
  }

  @Test
  void anEmptyWriteSendsNothingAndAnEmptyMessageReadsAsNothing() throws NoiseException {
    assertTrue(sender.writeAndFlush(Unpooled.EMPTY_BUFFER).isSuccess());
    ByteBuf nothing = sender.readOutbound();
    assertFalse(nothing.isReadable());
    nothing.release();

    byte[] tagOnly = new byte[CipherState.TAG_LENGTH];
    keyed(1).encrypt(ByteBuffer.allocate(0), ByteBuffer.wrap(tagOnly));
    receiver.writeInbound(Wire.frame(tagOnly));
    assertNull(receiver.readInbound());
    assertTrue(receiver.isOpen());
    assertFalse(sender.finish());
    assertFalse(receiver.finish());
  }

  @Test
  void aSpentSendingNonceFailsTheWriteAndClosesTheSession() {
    send.setNonce(-1L);
    ByteBuf plaintext = Unpooled.copiedBuffer("one too many", UTF_8);
    ChannelFuture written = sender.writeAndFlush(plaintext);
    assertEquals(Reason.NONCE_EXHAUSTED, assertInstanceOf(NoiseException.class, written.cause()).reason());
    assertEquals(0, plaintext.refCnt());
    assertFalse(sender.isOpen());
    assertThrows(NoiseException.class, sender::checkException);
    assertTrue(log.has("INFO", "2^64 - 1 messages"), log.lines.toString());
    assertFalse(sender.finish());
  }

  @Test
  void aSpentReceivingNonceClosesTheSession() {
    sender.writeAndFlush(Unpooled.copiedBuffer("one too many", UTF_8));
    receive.setNonce(-1L);
    ByteBuf frame = Wire.written(sender);
    NoiseException e = assertThrows(NoiseException.class, () -> receiver.writeInbound(frame));
    assertEquals(Reason.NONCE_EXHAUSTED, e.reason());
    assertFalse(receiver.isOpen());
    assertNull(receiver.readInbound());
    assertFalse(sender.finish());
    assertFalse(receiver.finish());
  }

  @Test
  void messagesDecryptInOrderAcrossReads() {
    for (String word : new String[] {"one", "two", "three"}) {
      sender.writeAndFlush(Unpooled.copiedBuffer(word, UTF_8));
    }
    ByteBuf all = Wire.written(sender);
    // Arrives in three reads that split frames anywhere.
    receiver.writeInbound(all.readRetainedSlice(3), all.readRetainedSlice(30), all);
    for (String word : new String[] {"one", "two", "three"}) {
      ByteBuf read = receiver.readInbound();
      assertEquals(word, read.toString(UTF_8));
      assertTrue(read.release());
    }
    assertFalse(sender.finish());
    assertFalse(receiver.finish());
  }
}
