package io.cairn.libp2p.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.multiformats.Multiaddr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifyTest {
  private static final Multiaddr ADDR = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

  private static ByteBuf framed(IdentifyMessage m) {
    ByteBuf body = Unpooled.buffer();
    m.write(body);
    ByteBuf out = Unpooled.buffer();
    Protobuf.writeVarint(out, body.readableBytes());
    out.writeBytes(body);
    body.release();
    return out;
  }

  @Test
  void messageRoundTripsAndSkipsUnknownFields() {
    IdentifyMessage m = new IdentifyMessage(new byte[] {8, 1}, List.of(ADDR), List.of("/ipfs/id/1.0.0", "/a"), ADDR, "ipfs/0.1.0", "cairn/0.1.0");
    ByteBuf buf = Unpooled.buffer();
    m.write(buf);
    Protobuf.writeVarint(buf, 9L << 3 | Protobuf.VARINT); // an unknown field a newer peer may send
    Protobuf.writeVarint(buf, 300);
    Protobuf.writeBytes(buf, 8, new byte[] {1, 2, 3}); // signedPeerRecord: read and ignored
    IdentifyMessage back = IdentifyMessage.read(buf);
    buf.release();
    assertArrayEquals(m.publicKey(), back.publicKey());
    assertEquals(m.listenAddrs(), back.listenAddrs());
    assertEquals(m.protocols(), back.protocols());
    assertEquals(ADDR, back.observedAddr());
    assertEquals("cairn/0.1.0", back.agentVersion());
  }

  @Test
  void pushUpdatesOnlyWhatItCarries() {
    IdentifyMessage first = new IdentifyMessage(new byte[] {1}, List.of(ADDR), List.of("/a"), null, "ipfs/0.1.0", "x/1");
    IdentifyMessage push = new IdentifyMessage(null, null, List.of("/a", "/b"), null, null, null);
    IdentifyMessage merged = push.mergedInto(first);
    assertEquals(List.of("/a", "/b"), merged.protocols());
    assertEquals(List.of(ADDR), merged.listenAddrs());
    assertEquals("x/1", merged.agentVersion());
  }

  @Test
  void readerMergesPartsUntilThePeerClosesItsSide() {
    IdentifyReader reader = new IdentifyReader(8192);
    EmbeddedChannel ch = new EmbeddedChannel(reader);
    ByteBuf both = Unpooled.buffer();
    ByteBuf a = framed(new IdentifyMessage(null, null, List.of("/a"), null, null, "x/1"));
    ByteBuf b = framed(new IdentifyMessage(null, List.of(ADDR), null, null, null, null));
    both.writeBytes(a).writeBytes(b);
    a.release();
    b.release();
    ch.writeInbound(both.readRetainedSlice(3), both.readRetainedSlice(both.readableBytes())); // split mid-message
    both.release();
    assertFalse(reader.result.isDone());
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    IdentifyMessage m = reader.result.join();
    assertEquals(List.of("/a"), m.protocols());
    assertEquals(List.of(ADDR), m.listenAddrs());
    assertFalse(ch.finishAndReleaseAll());
  }

  private static Throwable failure(IdentifyReader reader, ByteBuf input) {
    EmbeddedChannel ch = new EmbeddedChannel(reader);
    ch.writeInbound(input);
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertTrue(reader.result.isCompletedExceptionally());
    assertFalse(ch.isOpen());
    ch.finishAndReleaseAll();
    return reader.result.handle((v, t) -> t).join();
  }

  @Test
  void oversizeMessageIsRefusedFromItsLength() {
    ByteBuf lengthOnly = Unpooled.buffer();
    Protobuf.writeVarint(lengthOnly, 1 << 20);
    assertTrue(failure(new IdentifyReader(8192), lengthOnly).getMessage().contains("over the limit"));
  }

  @Test
  void tooManyPartsMalformedFieldsAndEmptyStreamsAreRefused() {
    ByteBuf many = Unpooled.buffer();
    for (int i = 0; i < IdentifyReader.MAX_PARTS + 1; i++) {
      ByteBuf part = framed(new IdentifyMessage(null, null, List.of("/p" + i), null, null, null));
      many.writeBytes(part);
      part.release();
    }
    assertTrue(failure(new IdentifyReader(8192), many).getMessage().contains("more than"));

    ByteBuf lying = Unpooled.buffer();
    lying.writeByte(3).writeByte(1 << 3 | 2).writeByte(100).writeByte(0); // field 1 claims 100 bytes, has 1
    assertTrue(failure(new IdentifyReader(8192), lying).getMessage().contains("malformed"));

    assertTrue(failure(new IdentifyReader(8192), Unpooled.EMPTY_BUFFER).getMessage().contains("without a message"));
  }

  @Test
  void unparsableAddressesAreSkippedNotFatal() {
    ByteBuf body = Unpooled.buffer();
    Protobuf.writeBytes(body, 2, new byte[] {(byte) 0xcc, 0x03, 1}); // a protocol we do not speak
    Protobuf.writeBytes(body, 2, ADDR.toBytes());
    IdentifyMessage m = IdentifyMessage.read(body);
    body.release();
    assertEquals(List.of(ADDR), m.listenAddrs());
    assertNull(m.agentVersion());
  }

  @Test
  void randomInputOnlyEverFailsCleanly() {
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 3000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      IdentifyReader reader = new IdentifyReader(8192);
      EmbeddedChannel ch = new EmbeddedChannel(reader);
      ch.writeInbound(Unpooled.wrappedBuffer(junk));
      ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      assertTrue(reader.result.isDone());
      ch.finishAndReleaseAll();
    }
  }
}
