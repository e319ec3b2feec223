package io.cairn.bitswap.message;

import static io.cairn.bitswap.message.TestMessages.buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The three handlers in EmbeddedChannels: a sender's pipeline and a receiver's, bytes between them. */
class BitswapHandlersTest {
  private static EmbeddedChannel receiver(MessageLimits limits) {
    return new EmbeddedChannel(new BitswapFrameDecoder(limits.maxMessageBytes()), new BitswapMessageDecoder(limits));
  }

  private static EmbeddedChannel receiver() {
    return receiver(MessageLimits.DEFAULT);
  }

  /** Sends the messages through an encoder and returns the stream's bytes. */
  private static byte[] send(BitswapProtocol protocol, List<BitswapMessage> messages) {
    EmbeddedChannel sender = new EmbeddedChannel(new BitswapMessageEncoder(protocol));
    ByteBuf stream = ByteBufAllocator.DEFAULT.buffer();
    for (BitswapMessage message : messages) {
      assertTrue(sender.writeOutbound(message));
      ByteBuf out = sender.readOutbound();
      assertEquals(out.capacity(), out.readableBytes(), "allocated to the exact size");
      assertEquals(out.maxCapacity(), out.readableBytes(), "and never grown");
      stream.writeBytes(out);
      out.release();
    }
    assertFalse(sender.finish());
    byte[] bytes = ByteBufUtil.getBytes(stream);
    stream.release();
    return bytes;
  }

  private static List<BitswapMessage> received(EmbeddedChannel channel) {
    List<BitswapMessage> messages = new ArrayList<>();
    for (BitswapMessage m = channel.readInbound(); m != null; m = channel.readInbound()) {
      messages.add(m);
    }
    return messages;
  }

  private static List<BitswapMessage> someMessages(long seed) {
    Random random = new Random(seed);
    List<BitswapMessage> messages = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      messages.add(TestMessages.random(random));
    }
    messages.add(BitswapMessage.EMPTY);
    return messages;
  }

  @ParameterizedTest
  @EnumSource(BitswapProtocol.class)
  void messagesCrossTheStreamAsTheirVersionCarriesThem(BitswapProtocol protocol) {
    List<BitswapMessage> messages = someMessages(protocol.ordinal());
    EmbeddedChannel receiver = receiver();
    assertTrue(receiver.writeInbound(buffer(send(protocol, messages))));
    List<BitswapMessage> expected = messages.stream().map(m -> TestMessages.asCarriedBy(m, protocol)).toList();
    assertEquals(expected, received(receiver));
    assertFalse(receiver.finish());
  }

  @Test
  void bytesSplitAtEveryOffsetDecodeTheSame() {
    List<BitswapMessage> messages = List.of(
        BitswapMessage.wants(List.of(WantlistEntry.wantHave(TestMessages.raw("a"), 9, true))),
        BitswapMessage.EMPTY,
        BitswapMessage.blocks(List.of(BlockPayload.of(TestMessages.raw("b"), TestMessages.bytes("b".repeat(200))))),
        BitswapMessage.presences(List.of(new BlockPresence(TestMessages.raw("c"), PresenceType.DONT_HAVE))));
    byte[] stream = send(BitswapProtocol.V1_2_0, messages);
    for (int split = 0; split <= stream.length; split++) {
      EmbeddedChannel receiver = receiver();
      receiver.writeInbound(buffer(stream, 0, split));
      receiver.writeInbound(buffer(stream, split, stream.length - split));
      assertEquals(messages, received(receiver), "split at " + split);
      assertFalse(receiver.finish());
    }
    EmbeddedChannel byteByByte = receiver();
    for (int i = 0; i < stream.length; i++) {
      byteByByte.writeInbound(buffer(stream, i, 1));
    }
    assertEquals(messages, received(byteByByte));
    assertFalse(byteByByte.finish());
  }

  @Test
  void aZeroLengthMessageIsAnEmptyMessage() {
    EmbeddedChannel receiver = receiver();
    assertTrue(receiver.writeInbound(buffer("0000")));
    assertEquals(List.of(BitswapMessage.EMPTY, BitswapMessage.EMPTY), received(receiver));
    assertFalse(receiver.finish());
  }

  @Test
  void anOversizeLengthIsRefusedBeforeAnyOfTheBody() {
    EmbeddedChannel receiver = receiver();
    // 4 MiB + 1, alone: nothing of the body has been sent.
    MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> receiver.writeInbound(buffer("81808002")));
    assertTrue(e.getMessage().contains("4194305 bytes announced; the limit is 4194304"), e.getMessage());
    assertFalse(receiver.writeInbound(buffer("00")), "what follows is discarded");
    assertFalse(receiver.finish());
  }

  @Test
  void anOversizeLengthIsRefusedAsSoonAsItsFirstBytesSaySo() {
    EmbeddedChannel receiver = receiver(new MessageLimits(1000, 10, 10, 10, 168));
    // 0xff 0xff: at least 16,383 bytes, whatever follows.
    MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> receiver.writeInbound(buffer("ffff")));
    assertTrue(e.getMessage().contains("at least 16383 bytes"), e.getMessage());
    assertFalse(receiver.finish());
  }

  @Test
  void aLengthAtTheLimitIsAwaited() {
    EmbeddedChannel receiver = receiver();
    assertFalse(receiver.writeInbound(buffer("80808002")));
    assertNull(receiver.readInbound());
    assertFalse(receiver.finish());
  }

  @Test
  void aLengthVarintOverFiveBytesIsMalformed() {
    EmbeddedChannel receiver = receiver();
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> receiver.writeInbound(buffer("808080808001")));
    assertTrue(e.getMessage().contains("longer than 5 bytes"), e.getMessage());
    assertFalse(receiver.finish());
  }

  @Test
  void aMalformedBodyFailsTheReadAndIsReleased() {
    EmbeddedChannel receiver = receiver();
    ByteBuf input = buffer("02" + "0801" + "00");
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> receiver.writeInbound(input));
    assertTrue(e.getMessage().contains("wantlist (field 1) has wire type 0"), e.getMessage());
    assertEquals(0, input.refCnt());
    // The frame decoder is not at fault: the next message still decodes. The stream's owner resets anyway.
    assertEquals(List.of(BitswapMessage.EMPTY), received(receiver));
    assertFalse(receiver.finish());
  }

  @Test
  void bodiesAreSlicesOfTheReceivedBytes() {
    EmbeddedChannel frames = new EmbeddedChannel(new BitswapFrameDecoder(100));
    ByteBuf input = buffer("03616263");
    frames.writeInbound(input.retain());
    ByteBuf body = frames.readInbound();
    body.setByte(0, 'Q');
    assertEquals('Q', input.getByte(1), "the body shares the received memory");
    body.release();
    input.release();
    assertEquals(0, input.refCnt());
    assertFalse(frames.finish());
  }

  @Test
  void frameDecoderLimitIsValidated() {
    assertThrows(IllegalArgumentException.class, () -> new BitswapFrameDecoder(0));
    assertThrows(IllegalArgumentException.class, () -> new BitswapFrameDecoder(MessageLimits.MAX_MESSAGE_BYTES + 1));
  }

  @Test
  void aMessageTooLargeToSendFailsTheWrite() {
    byte[] mebibyte = new byte[1 << 20];
    BitswapMessage message = BitswapMessage.blocks(Collections.nCopies(65,
        BlockPayload.of(TestMessages.raw(mebibyte), mebibyte)));
    EmbeddedChannel sender = new EmbeddedChannel(new BitswapMessageEncoder(BitswapProtocol.V1_2_0));
    EncoderException e = assertThrows(EncoderException.class, () -> sender.writeOutbound(message));
    assertInstanceOf(MessageTooLargeException.class, e.getCause());
    assertFalse(sender.finish());
  }
}
