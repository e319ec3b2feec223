package io.cairn.libp2p.yamux.internal;

import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_ACK;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_FIN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_RST;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_SYN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.GO_AWAY_PROTOCOL_ERROR;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.MAX_WINDOW;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_DATA;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_GO_AWAY;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_PING;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.StreamChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random frame sequences, fixed seed, into sessions whose streams behave in random ways: the only way
 * a session may end is a protocol error (or the peer's own go-away), no exception may escape, and no
 * buffer may leak.
 */
class YamuxFuzzTest {
  private static final int RUNS = 5000;

  @Test
  void randomFrameSequencesEndOnlyInProtocolErrors() {
    Random random = new Random(0x5EED_CA1FL);
    YamuxSettings settings = TestSettings.with(Map.of("maxStreams", 8, "maxAckBacklog", 4, "pingReplyQueue", 4,
        "writeQueueHighWater", 4096, "writeQueueLowWater", 1024, "maxFrameLength", 1024));
    List<Throwable> streamErrors = new ArrayList<>();
    int ended = 0;
    for (int run = 0; run < RUNS; run++) {
      boolean weInitiate = random.nextBoolean();
      Peer peer = new Peer(random, weInitiate);
      ByteBuf input = Unpooled.buffer();
      for (int frames = 1 + random.nextInt(30); frames > 0; frames--) {
        peer.writeFrame(input);
      }
      try (YamuxHostileInputTest.Target target = new YamuxHostileInputTest.Target(weInitiate, settings)) {
        target.onStream = stream -> behave(stream, random, streamErrors);
        boolean stalled = random.nextInt(4) == 0;
        if (stalled) {
          target.connection.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
          target.valve.close();
        }
        if (random.nextBoolean()) {
          target.session.openStream().thenAccept(s -> s.writeAndFlush(Unpooled.wrappedBuffer(new byte[random.nextInt(3000)])));
        }
        while (input.isReadable() && target.connection.isOpen()) {
          target.feed(input.readRetainedSlice(1 + random.nextInt(Math.min(input.readableBytes(), 2048))));
        }
        target.valve.open();
        target.connection.runPendingTasks();
        List<Frames.Sent> sent = target.sent();
        if (!target.connection.isOpen()) {
          ended++;
          boolean protocolError = !sent.isEmpty() && sent.get(sent.size() - 1).isGoAway(GO_AWAY_PROTOCOL_ERROR);
          assertTrue(protocolError || peer.endsSession, "run " + run + " ended without a protocol error; last frames "
              + sent.subList(Math.max(0, sent.size() - 3), sent.size()));
        }
      } finally {
        input.release();
      }
      assertTrue(streamErrors.isEmpty(), "run " + run + ": " + streamErrors);
    }
    assertTrue(ended > RUNS / 10 && ended < RUNS - RUNS / 10, "the fuzzer reaches both outcomes: " + ended);
  }

  /** Writes frames a peer might send: mostly well-formed, for streams it opened; now and then not. */
  private static final class Peer {
    private final Random random;
    private final List<Long> opened = new ArrayList<>();
    private long nextId;
    boolean endsSession;

    Peer(Random random, boolean weInitiate) {
      this.random = random;
      this.nextId = weInitiate ? 2 : 1;
    }

    void writeFrame(ByteBuf out) {
      int roll = random.nextInt(100);
      if (roll < 2) {
        header(out, random.nextInt(4) == 0 ? random.nextInt(256) : 0, random.nextInt(256), random.nextInt(1 << 16),
            random.nextLong() & MAX_WINDOW, random.nextLong() & MAX_WINDOW);
      } else if (roll < 5) {
        header(out, 0, random.nextInt(4), random.nextInt(16), random.nextInt(12), random.nextInt(1 << 19));
      } else {
        switch (random.nextInt(10)) {
          case 0, 1 -> {
            long id = nextId;
            nextId += 2;
            opened.add(id);
            if (random.nextBoolean()) {
              header(out, 0, TYPE_WINDOW_UPDATE, FLAG_SYN, id, random.nextInt(1 << 16));
            } else {
              data(out, FLAG_SYN, id, random.nextInt(200));
            }
          }
          case 2, 3, 4, 5 -> data(out, random.nextInt(8) == 0 ? FLAG_FIN : 0, someStream(), bodyLength());
          case 6 -> header(out, 0, TYPE_WINDOW_UPDATE, random.nextInt(4) == 0 ? FLAG_ACK : 0, someStream(),
              random.nextInt(50) == 0 ? random.nextLong() & MAX_WINDOW : random.nextInt(1 << 18));
          case 7 -> header(out, 0, TYPE_PING, random.nextBoolean() ? FLAG_SYN : FLAG_ACK, 0, random.nextInt());
          case 8 -> header(out, 0, TYPE_WINDOW_UPDATE, random.nextBoolean() ? FLAG_FIN : FLAG_RST, someStream(), 0);
          default -> header(out, 0, TYPE_GO_AWAY, 0, 0, random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        }
      }
    }

    private long someStream() {
      return opened.isEmpty() || random.nextInt(6) == 0 ? 1 + random.nextInt(12) : opened.get(random.nextInt(opened.size()));
    }

    private int bodyLength() {
      return random.nextInt(200) == 0 ? random.nextInt(300_000) : random.nextInt(300);
    }

    private void data(ByteBuf out, int flags, long id, int length) {
      header(out, 0, TYPE_DATA, flags, id, length);
      out.writeZero(length);
    }

    private void header(ByteBuf out, int version, int type, int flags, long id, long length) {
      out.writeByte(version).writeByte(type).writeShort(flags).writeInt((int) id).writeInt((int) length);
      // A well-formed go-away with an error code: the session may end without a word of its own.
      endsSession |= version == 0 && type == TYPE_GO_AWAY && flags == 0 && (int) id == 0 && (int) length != 0;
    }
  }

  /** What an application might do with a stream the peer opened. */
  private static void behave(StreamChannel stream, Random random, List<Throwable> errors) {
    switch (random.nextInt(7)) {
      case 0 -> stream.pipeline().addLast(new Handlers.Echo());
      case 1 -> stream.config().setAutoRead(false);
      case 2 -> stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ReferenceCountUtil.release(msg);
          ctx.close();
        }
      });
      case 3 -> stream.reset();
      case 4 -> stream.closeWrite();
      case 5 -> stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[random.nextInt(20_000)]));
      default -> { } // an empty pipeline: its tail releases what arrives
    }
    stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        errors.add(cause);
      }
    });
  }
}
