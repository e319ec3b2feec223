package io.cairn.libp2p.yamux.internal;

import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_ACK;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_FIN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_SYN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_DATA;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_GO_AWAY;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_PING;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class YamuxFrameCodecTest {
  private static final long WINDOW = 1000;

  /** A decoder whose every stream has {@value #WINDOW} bytes of window. */
  private static EmbeddedChannel decoder() {
    return new EmbeddedChannel(new YamuxFrameDecoder((id, flags) -> WINDOW));
  }

  @Test
  void encodesHeaderThenBodyAsOneBuffer() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameEncoder());
    ByteBuf body = Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII);
    assertTrue(channel.writeOutbound(YamuxFrame.data(FLAG_SYN, 7, body)));
    ByteBuf out = channel.readOutbound();
    assertEquals("0000000100000007" + "00000005" + ByteBufUtil.hexDump("hello".getBytes(StandardCharsets.US_ASCII)),
        ByteBufUtil.hexDump(out));
    out.release();
    assertEquals(0, body.refCnt(), "the body goes with the written buffer");
    assertFalse(channel.finish());
  }

  @Test
  void encodesControlFrames() {
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameEncoder());
    channel.writeOutbound(YamuxFrame.windowUpdate(FLAG_ACK | FLAG_FIN, 0xFFFF_FFFE, 0xFFFF_FFFFL),
        YamuxFrame.ping(FLAG_SYN, 0x01020304L), YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR));
    assertHex(channel, "00010006fffffffeffffffff");
    assertHex(channel, "000200010000000001020304");
    assertHex(channel, "000300000000000000000001");
    assertFalse(channel.finish());
  }

  private static void assertHex(EmbeddedChannel channel, String hex) {
    ByteBuf out = channel.readOutbound();
    assertEquals(hex, ByteBufUtil.hexDump(out));
    out.release();
  }

  @Test
  void decodesFramesArrivingByteByByte() {
    EmbeddedChannel channel = decoder();
    ByteBuf input = Unpooled.wrappedBuffer(
        Frames.data(FLAG_SYN, 1, "abc".getBytes(StandardCharsets.US_ASCII)),
        Frames.header(TYPE_WINDOW_UPDATE, FLAG_ACK, 2, 0xFFFF_FFFFL),
        Frames.header(TYPE_PING, FLAG_SYN, 0, 77),
        Frames.data(FLAG_FIN, 1, new byte[0]),
        Frames.header(TYPE_GO_AWAY, 0, 0, 2));
    while (input.isReadable()) {
      channel.writeInbound(input.readRetainedSlice(1));
    }
    input.release();

    YamuxFrame data = channel.readInbound();
    assertEquals(TYPE_DATA, data.type());
    assertEquals(FLAG_SYN, data.flags());
    assertEquals(1, data.streamId());
    assertEquals("abc", data.data().toString(StandardCharsets.US_ASCII));
    data.release();
    assertEquals(0, data.refCnt());
    assertEquals(new YamuxFrame(TYPE_WINDOW_UPDATE, FLAG_ACK, 2, 0xFFFF_FFFFL, null), channel.readInbound());
    assertEquals(new YamuxFrame(TYPE_PING, FLAG_SYN, 0, 77, null), channel.readInbound());
    YamuxFrame fin = channel.readInbound();
    assertEquals(FLAG_FIN, fin.flags());
    assertEquals(0, fin.data().readableBytes());
    fin.release();
    assertEquals(new YamuxFrame(TYPE_GO_AWAY, 0, 0, 2, null), channel.readInbound());
    assertNull(channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void bodyIsASliceOfTheReceivedBytesNotACopy() {
    EmbeddedChannel channel = decoder();
    ByteBuf input = Frames.data(0, 3, "xyz".getBytes(StandardCharsets.US_ASCII));
    channel.writeInbound(input.retain());
    YamuxFrame frame = channel.readInbound();
    frame.data().setByte(0, 'Q');
    assertEquals('Q', input.getByte(YamuxFrame.HEADER_LENGTH), "the body shares the received memory");
    frame.release();
    input.release();
    assertEquals(0, input.refCnt());
    assertFalse(channel.finish());
  }

  @Test
  void dataLengthIsCheckedAgainstTheStreamsWindowBeforeTheBodyArrives() {
    AtomicInteger asked = new AtomicInteger();
    EmbeddedChannel channel = new EmbeddedChannel(new YamuxFrameDecoder((id, flags) -> {
      asked.incrementAndGet();
      assertEquals(5, id);
      assertEquals(FLAG_SYN, flags);
      return 10;
    }));
    // Only the header of an 11-byte frame: rejected without waiting for the body.
    assertThrows(YamuxProtocolException.class, () -> channel.writeInbound(Frames.header(TYPE_DATA, FLAG_SYN, 5, 11)));
    assertEquals(1, asked.get());
    assertFalse(channel.finish());
  }

  @Test
  void lengthOfAllOnesIsRejectedFromTheHeaderAlone() {
    EmbeddedChannel channel = decoder();
    YamuxProtocolException e = assertThrows(YamuxProtocolException.class,
        () -> channel.writeInbound(Frames.header(TYPE_DATA, 0, 1, 0xFFFF_FFFFL)));
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
    assertFalse(channel.finish());
  }

  @Test
  void dataWithinTheWindowIsAwaited() {
    EmbeddedChannel channel = decoder();
    channel.writeInbound(Frames.header(TYPE_DATA, 0, 1, WINDOW));
    assertNull(channel.readInbound(), "waits for the body");
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[(int) WINDOW]));
    YamuxFrame frame = channel.readInbound();
    assertEquals(WINDOW, frame.data().readableBytes());
    frame.release();
    assertFalse(channel.finish());
  }

  @Test
  void rejectsAnUnknownVersion() {
    assertRejected(Frames.raw(1, TYPE_PING, FLAG_SYN, 0, 0, new byte[0]), "version");
  }

  @Test
  void rejectsAnUnknownType() {
    assertRejected(Frames.raw(0, 4, 0, 0, 0, new byte[0]), "type");
  }

  @Test
  void rejectsUnknownFlags() {
    assertRejected(Frames.header(TYPE_WINDOW_UPDATE, 0x10, 1, 0), "flags");
  }

  @Test
  void rejectsSynAndAckTogether() {
    assertRejected(Frames.header(TYPE_WINDOW_UPDATE, FLAG_SYN | FLAG_ACK, 1, 0), "SYN and ACK");
  }

  @Test
  void rejectsStreamFramesOnTheSessionId() {
    assertRejected(Frames.header(TYPE_WINDOW_UPDATE, FLAG_SYN, 0, 0), "id 0");
    assertRejected(Frames.data(0, 0, new byte[1]), "id 0");
  }

  @Test
  void rejectsPingsOnAStreamOrWithOtherFlags() {
    assertRejected(Frames.header(TYPE_PING, FLAG_SYN, 1, 0), "ping on stream");
    assertRejected(Frames.header(TYPE_PING, FLAG_SYN | FLAG_FIN, 0, 0), "ping flags");
    assertRejected(Frames.header(TYPE_PING, 0, 0, 0), "ping flags");
  }

  @Test
  void rejectsGoAwayOnAStreamOrWithFlags() {
    assertRejected(Frames.header(TYPE_GO_AWAY, 0, 3, 0), "go-away on stream");
    assertRejected(Frames.header(TYPE_GO_AWAY, FLAG_FIN, 0, 0), "go-away flags");
  }

  /** The bad frame is rejected, and whatever follows it is discarded. */
  private static void assertRejected(ByteBuf frame, String reason) {
    EmbeddedChannel channel = decoder();
    YamuxProtocolException e = assertThrows(YamuxProtocolException.class, () -> channel.writeInbound(frame));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(channel.writeInbound(Frames.header(TYPE_PING, FLAG_SYN, 0, 1)), "input after the error is discarded");
    assertEquals(0, frame.refCnt());
    assertFalse(channel.finish());
  }

  @Test
  void framesHaveReadableForms() {
    assertEquals("YamuxFrame[type=1, flags=2, stream=4294967295, length=5]",
        YamuxFrame.windowUpdate(FLAG_ACK, -1, 5).toString());
  }
}
