package io.cairn.libp2p.yamux.internal;

import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_ACK;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_FIN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_RST;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_SYN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.INITIAL_WINDOW;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_PING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.yamux.internal.Handlers.Collector;
import io.cairn.libp2p.yamux.internal.Handlers.Echo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class YamuxSessionTest {
  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  @Test
  void streamsOpenBothWaysWithTheirOwnParityAndEcho() {
    try (SessionPair pair = new SessionPair()) {
      pair.onServerStream = s -> s.pipeline().addLast(new Echo());
      pair.onClientStream = s -> s.pipeline().addLast(new Echo());

      YamuxStreamChannel out = pair.open();
      Collector outEcho = new Collector();
      out.pipeline().addLast(outEcho);
      out.writeAndFlush(ascii("ping"));
      pair.pump();
      assertEquals("ping", outEcho.text());

      YamuxStreamChannel back = (YamuxStreamChannel) pair.server.openStream().join();
      Collector backEcho = new Collector();
      back.pipeline().addLast(backEcho);
      back.writeAndFlush(ascii("pong"));
      pair.pump();
      assertEquals("pong", backEcho.text());

      assertEquals(1, out.streamId(), "the initiator is the client: odd ids");
      assertEquals(2, back.streamId(), "the responder: even ids");
      assertEquals(out.parent(), pair.clientConnection);
      assertEquals(out.eventLoop(), pair.clientConnection.eventLoop());
      assertEquals(2, pair.client.streamCount());
      assertEquals(2, pair.server.streamCount());
      assertTrue(pair.log.problems.isEmpty(), pair.log.problems.toString());
    }
  }

  @Test
  void theOpenerSendsSynAtOnceAndTheAcceptorAcknowledgesWithItsFirstFrame() {
    try (SessionPair pair = new SessionPair()) {
      YamuxStreamChannel out = pair.open();
      Frames.Sent syn = pair.toServer.get(pair.toServer.size() - 1);
      assertTrue(syn.has(FLAG_SYN));
      assertEquals(1, syn.streamId());
      assertEquals(1, pair.serverAccepted.size(), "the inbound stream is announced on SYN");
      int before = pair.toClient.size();
      pair.serverAccepted.get(0).writeAndFlush(ascii("hi"));
      pair.pump();
      Frames.Sent first = pair.toClient.get(before);
      assertEquals(FLAG_ACK, first.flags());
      pair.serverAccepted.get(0).writeAndFlush(ascii("again"));
      pair.pump();
      assertEquals(0, pair.toClient.get(pair.toClient.size() - 1).flags(), "ACK only once");
      assertTrue(out.isActive());
    }
  }

  @Test
  void dataThatComesWithSynReachesTheHandlersTheInboundCallbackInstalled() {
    try (SessionPair pair = new SessionPair()) {
      Collector in = new Collector();
      pair.onServerStream = s -> s.pipeline().addLast(in);
      pair.serverConnection.writeInbound(Frames.data(FLAG_SYN, 1, "early".getBytes(StandardCharsets.US_ASCII)));
      assertEquals("early", in.text());
    }
  }

  @Test
  void hundredConcurrentStreamsEcho() {
    try (SessionPair pair = new SessionPair()) {
      pair.onServerStream = s -> s.pipeline().addLast(new Echo());
      List<YamuxStreamChannel> streams = new ArrayList<>();
      List<Collector> echoes = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        YamuxStreamChannel stream = (YamuxStreamChannel) pair.client.openStream().join();
        Collector echo = new Collector();
        stream.pipeline().addLast(echo);
        stream.write(ascii("message "));
        stream.writeAndFlush(ascii(Integer.toString(i)));
        stream.closeWrite();
        streams.add(stream);
        echoes.add(echo);
      }
      assertEquals(100, pair.client.streamCount());
      pair.pump();
      for (int i = 0; i < 100; i++) {
        assertEquals("message " + i, echoes.get(i).text());
        assertTrue(echoes.get(i).inputShutdown);
        assertTrue(echoes.get(i).inactive, "both sides finished: the stream closed");
        assertFalse(streams.get(i).isOpen());
      }
      assertEquals(0, pair.client.streamCount());
      assertEquals(0, pair.server.streamCount());
    }
  }

  @Test
  void sixteenMebibytesThroughOneStreamArriveIntact() {
    try (SessionPair pair = new SessionPair()) {
      Collector sink = new Collector();
      pair.onServerStream = s -> s.pipeline().addLast(sink);
      YamuxStreamChannel out = pair.open();
      CRC32 sent = new CRC32();
      List<ChannelFuture> writes = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        byte[] chunk = random(64 * 1024, i);
        sent.update(chunk);
        writes.add(out.write(Unpooled.wrappedBuffer(chunk)));
      }
      out.flush();
      ChannelFuture fin = out.closeWrite();
      pair.pump();
      assertEquals(16L << 20, sink.bytes);
      assertEquals(sent.getValue(), sink.crc.getValue());
      assertTrue(sink.inputShutdown);
      assertTrue(writes.stream().allMatch(ChannelFuture::isSuccess));
      assertTrue(fin.isSuccess());
      long windowUpdates = pair.toClient.stream().filter(f -> f.type() == YamuxFrame.TYPE_WINDOW_UPDATE).count();
      assertTrue(windowUpdates > 1, "the transfer needed window updates: " + windowUpdates);
    }
  }

  @Test
  void halfCloseLeavesTheOtherDirectionOpenUntilBothFinish() {
    try (SessionPair pair = new SessionPair()) {
      Collector serverSide = new Collector();
      pair.onServerStream = s -> s.pipeline().addLast(serverSide);
      YamuxStreamChannel out = pair.open();
      Collector clientSide = new Collector();
      out.pipeline().addLast(clientSide);

      out.writeAndFlush(ascii("request"));
      ChannelFuture fin = out.closeWrite();
      pair.pump();
      assertTrue(fin.isSuccess());
      YamuxStreamChannel in = pair.serverAccepted.get(0);
      assertEquals("request", serverSide.text());
      assertTrue(serverSide.inputShutdown, "the peer's FIN is an input shutdown event");
      assertTrue(in.isInputShutdown());
      assertTrue(in.isActive());
      assertTrue(in.isWritable());

      ChannelFuture late = out.writeAndFlush(ascii("late"));
      assertInstanceOf(ClosedChannelException.class, late.cause(), "writes after our FIN fail");

      in.writeAndFlush(ascii("response"));
      pair.pump();
      assertEquals("response", clientSide.text());
      assertTrue(out.isActive(), "our FIN alone does not close the stream");
      assertFalse(clientSide.inputShutdown);

      in.closeWrite();
      pair.pump();
      assertTrue(clientSide.inputShutdown);
      assertFalse(out.isActive());
      assertFalse(in.isActive());
      assertTrue(clientSide.inactive);
      assertTrue(serverSide.inactive);
      assertEquals(0, pair.client.streamCount());
      assertEquals(0, pair.server.streamCount());
      assertTrue(pair.toServer.stream().noneMatch(f -> f.has(FLAG_RST)));
      assertTrue(pair.toClient.stream().noneMatch(f -> f.has(FLAG_RST)));
    }
  }

  @Test
  void closeWriteSendsFinOnlyAfterTheDataWrittenBeforeIt() {
    try (SessionPair pair = new SessionPair()) {
      Collector sink = new Collector();
      pair.onServerStream = s -> {
        s.config().setAutoRead(false);
        s.pipeline().addLast(sink);
      };
      YamuxStreamChannel out = pair.open();
      byte[] payload = random(3 * INITIAL_WINDOW, 7);
      out.writeAndFlush(Unpooled.wrappedBuffer(payload));
      ChannelFuture fin = out.closeWrite();
      pair.pump();
      assertFalse(fin.isDone(), "FIN waits behind data that waits for window");
      YamuxStreamChannel in = pair.serverAccepted.get(0);
      for (int reads = 0; !sink.inputShutdown; reads++) {
        assertTrue(reads < 100, "read " + sink.bytes + " of " + payload.length + ", credit " + in.receiveCredit()
            + ", peer window " + out.sendWindow() + ", FIN sent " + fin.isDone());
        in.read();
        pair.pump();
      }
      assertTrue(fin.isSuccess());
      assertEquals(crc(payload), sink.crc.getValue());
    }
  }

  @Test
  void closeHalfClosesAndResetsWhatThePeerStillSends() {
    try (SessionPair pair = new SessionPair()) {
      pair.onServerStream = s -> s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ReferenceCountUtil.release(msg);
          ctx.close();
        }
      });
      YamuxStreamChannel out = pair.open();
      Collector clientSide = new Collector();
      out.pipeline().addLast(clientSide);
      out.writeAndFlush(ascii("first"));
      pair.pump();
      YamuxStreamChannel in = pair.serverAccepted.get(0);
      assertFalse(in.isOpen(), "closed for the application at once");
      assertTrue(clientSide.inputShutdown, "close sent FIN");
      assertTrue(out.isActive());
      assertEquals(1, pair.server.streamCount(), "the session waits for the peer's side");

      out.writeAndFlush(ascii("more"));
      pair.pump();
      assertTrue(pair.toClient.get(pair.toClient.size() - 1).has(FLAG_RST), "data nobody reads is answered with RST");
      assertFalse(out.isActive());
      assertEquals(0, pair.server.streamCount());
      assertEquals(0, pair.client.streamCount());
    }
  }

  @Test
  void aStreamWeClosedIsResetWhenThePeerNeverFinishesIt() {
    try (SessionPair pair = new SessionPair(TestSettings.with(Map.of("streamCloseTimeout", 1000L)))) {
      YamuxStreamChannel out = pair.open();
      out.close();
      pair.pump();
      assertEquals(1, pair.client.streamCount(), "waiting for the peer's side");
      assertTrue(pair.serverAccepted.get(0).isInputShutdown());
      pair.clientConnection.advanceTimeBy(999, TimeUnit.MILLISECONDS);
      pair.pump();
      assertEquals(1, pair.client.streamCount());
      pair.clientConnection.advanceTimeBy(2, TimeUnit.MILLISECONDS);
      pair.pump();
      assertEquals(0, pair.client.streamCount());
      assertTrue(pair.toServer.get(pair.toServer.size() - 1).has(FLAG_RST), pair.toServer.toString());
      assertFalse(pair.serverAccepted.get(0).isActive());
      assertEquals(0, pair.server.streamCount());
    }
  }

  @Test
  void closeAfterThePeersFinEndsTheStreamWithoutReset() {
    try (SessionPair pair = new SessionPair()) {
      pair.onServerStream = s -> s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
          ctx.close();
        }
      });
      YamuxStreamChannel out = pair.open();
      out.writeAndFlush(ascii("all of it"));
      out.closeWrite();
      pair.pump();
      assertFalse(out.isActive());
      assertEquals(0, pair.server.streamCount());
      assertEquals(0, pair.client.streamCount());
      assertTrue(pair.toClient.stream().noneMatch(f -> f.has(FLAG_RST)));
    }
  }

  @Test
  void closeWithUnreadDataResetsAtOnce() {
    try (SessionPair pair = new SessionPair()) {
      pair.onServerStream = s -> s.config().setAutoRead(false);
      YamuxStreamChannel out = pair.open();
      out.writeAndFlush(ascii("never read"));
      pair.pump();
      pair.serverAccepted.get(0).close();
      pair.pump();
      assertTrue(pair.toClient.get(pair.toClient.size() - 1).has(FLAG_RST));
      assertFalse(out.isActive());
      assertEquals(0, pair.server.streamCount());
    }
  }

  @Test
  void resetDropsUnsentAndUnreadDataOnBothSides() {
    try (SessionPair pair = new SessionPair()) {
      Collector serverSide = new Collector();
      pair.onServerStream = s -> {
        s.config().setAutoRead(false);
        s.pipeline().addLast(serverSide);
      };
      YamuxStreamChannel out = pair.open();
      ChannelFuture big = out.writeAndFlush(Unpooled.wrappedBuffer(new byte[1 << 20]));
      pair.pump();
      assertFalse(big.isDone(), "most of it waits for window");

      out.reset();
      pair.pump();
      assertFalse(out.isActive());
      assertInstanceOf(ClosedChannelException.class, big.cause());
      assertTrue(pair.toServer.get(pair.toServer.size() - 1).has(FLAG_RST));
      assertTrue(serverSide.inactive);
      assertEquals(0, serverSide.bytes, "unread data is dropped");
      assertEquals(0, pair.client.streamCount());
      assertEquals(0, pair.server.streamCount());
    }
  }

  @Test
  void thePeersResetClosesTheStream() {
    try (SessionPair pair = new SessionPair()) {
      YamuxStreamChannel out = pair.open();
      Collector clientSide = new Collector();
      out.pipeline().addLast(clientSide);
      pair.serverAccepted.get(0).reset();
      pair.pump();
      assertTrue(clientSide.inactive);
      assertFalse(out.isActive());
      assertInstanceOf(ClosedChannelException.class, out.writeAndFlush(ascii("x")).cause());
      assertEquals(0, pair.client.streamCount());
    }
  }

  @Test
  void goAwayEndsTheSessionAndStopsNewStreams() {
    try (SessionPair pair = new SessionPair()) {
      YamuxStreamChannel out = pair.open();
      pair.client.close();
      pair.pump();
      assertTrue(pair.toServer.get(pair.toServer.size() - 1).isGoAway(YamuxFrame.GO_AWAY_NORMAL));
      assertFalse(pair.clientConnection.isOpen());
      assertFalse(out.isActive());
      assertEquals(0, pair.client.streamCount());
      CompletionException e = assertThrows(CompletionException.class, () -> pair.server.openStream().join());
      assertInstanceOf(Libp2pException.class, e.getCause());
      assertInstanceOf(Libp2pException.class,
          assertThrows(CompletionException.class, () -> pair.client.openStream().join()).getCause());
    }
  }

  @Test
  void pingsAreAnsweredWithTheirValue() {
    try (SessionPair pair = new SessionPair()) {
      Frames.drain(pair.serverConnection);
      pair.serverConnection.writeInbound(Frames.header(TYPE_PING, FLAG_SYN, 0, 0xCAFEL));
      List<Frames.Sent> sent = Frames.drain(pair.serverConnection);
      assertEquals(List.of(new Frames.Sent(TYPE_PING, FLAG_ACK, 0, 0xCAFEL, new byte[0])), sent);
    }
  }

  @Test
  void askersWhileAPingIsInFlightShareItsAnswer() throws Exception {
    try (SessionPair pair = new SessionPair()) {
      pair.pump();
      CompletableFuture<Duration> first = pair.client.ping();
      pair.clientConnection.runPendingTasks();
      pair.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
      CompletableFuture<Duration> second = pair.client.ping();
      pair.clientConnection.runPendingTasks();
      pair.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(15));
      pair.pump();
      assertEquals(Duration.ofMillis(25), first.get(1, TimeUnit.SECONDS));
      assertEquals(Duration.ofMillis(25), second.get(1, TimeUnit.SECONDS), "one ping in flight: the second asker got its answer");
    }
  }

  @Test
  void aPingMeasuresTheRoundTripTheConnectionReports() throws Exception {
    try (SessionPair pair = new SessionPair()) {
      pair.pump();
      CompletableFuture<Duration> answer = pair.client.ping();
      pair.clientConnection.runPendingTasks();
      pair.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(25));
      pair.pump();
      assertEquals(Duration.ofMillis(25), answer.get(1, TimeUnit.SECONDS));
      assertEquals(TimeUnit.MILLISECONDS.toNanos(25), pair.client.rttNanos());
      assertEquals(Optional.of(Duration.ofMillis(25)), pair.client.roundTrip(), "what the muxer tells its connection");
      assertTrue(pair.clientConnection.isOpen(), "an answered ping leaves the connection be");
    }
  }

  @Test
  void theRoundTripIsUnknownUntilTheFirstPingComesBack() {
    EmbeddedChannel connection = new EmbeddedChannel();
    connection.freezeTime();
    YamuxSession session = YamuxSession.start(connection, true, s -> {}, YamuxSettings.defaults(), () -> 0L,
        new TestLogger().logger);
    assertEquals(List.of(TYPE_PING), Frames.drain(connection).stream().map(Frames.Sent::type).toList(), "the start ping");
    assertEquals(Optional.empty(), session.roundTrip(), "no answer yet");
    connection.finishAndReleaseAll();
  }

  /** Judging a silence is the keep-alive manager's: the muxer fails the ping only when the session ends. */
  @Test
  void aPingInFlightFailsWhenTheSessionEndsAndOneAfterFailsAtOnce() {
    try (SessionPair pair = new SessionPair()) {
      pair.pump();
      CompletableFuture<Duration> unanswered = pair.client.ping();
      pair.clientConnection.runPendingTasks();
      pair.clientConnection.advanceTimeBy(60, TimeUnit.SECONDS);
      pair.clientConnection.runPendingTasks();
      assertFalse(unanswered.isDone(), "no timeout of its own");
      assertTrue(pair.clientConnection.isOpen());
      pair.client.close();
      pair.clientConnection.runPendingTasks();
      assertTrue(unanswered.isCompletedExceptionally(), "the session ended under it");
      CompletableFuture<Duration> late = pair.client.ping();
      pair.clientConnection.runPendingTasks();
      assertTrue(late.isCompletedExceptionally());
    }
  }

  @Test
  void aReaderThatStopsStallsThePeerAtTheWindowUntilItReadsAgain() {
    try (SessionPair pair = new SessionPair()) {
      Collector sink = new Collector();
      pair.onServerStream = s -> {
        s.config().setAutoRead(false);
        s.pipeline().addLast(sink);
      };
      YamuxStreamChannel out = pair.open();
      byte[] payload = random(1 << 20, 3);
      out.writeAndFlush(Unpooled.wrappedBuffer(payload));
      pair.pump();
      YamuxStreamChannel in = pair.serverAccepted.get(0);
      assertEquals(0, sink.bytes);
      assertEquals(0, out.sendWindow(), "the writer used up the window");
      assertEquals(0, in.receiveCredit());
      assertEquals(0, pair.toClient.stream().filter(f -> f.type() == YamuxFrame.TYPE_WINDOW_UPDATE).count(),
          "no window goes back for unread data");

      in.read();
      pair.pump();
      assertEquals(INITIAL_WINDOW, sink.bytes, "one read took what was buffered");
      assertEquals(0, in.receiveCredit(), "the window it returned is used up again");

      for (int reads = 0; sink.bytes < payload.length; reads++) {
        assertTrue(reads < 100);
        in.read();
        pair.pump();
      }
      assertEquals(crc(payload), sink.crc.getValue());
    }
  }

  @Test
  void autoReadOnAgainDeliversWhatWasBuffered() {
    try (SessionPair pair = new SessionPair()) {
      Collector sink = new Collector();
      pair.onServerStream = s -> {
        s.config().setAutoRead(false);
        s.pipeline().addLast(sink);
      };
      YamuxStreamChannel out = pair.open();
      out.writeAndFlush(Unpooled.wrappedBuffer(new byte[2 << 20]));
      pair.pump();
      pair.serverAccepted.get(0).config().setAutoRead(true);
      pair.pump();
      assertEquals(2 << 20, sink.bytes);
    }
  }

  @Test
  void writabilityFollowsTheQueuedBytes() {
    YamuxSettings settings = TestSettings.with(Map.of("writeQueueHighWater", 64 * 1024, "writeQueueLowWater", 32 * 1024));
    try (SessionPair pair = new SessionPair(settings)) {
      pair.onServerStream = s -> s.config().setAutoRead(false);
      YamuxStreamChannel out = pair.open();
      Collector events = new Collector();
      out.pipeline().addLast(events);
      out.write(Unpooled.wrappedBuffer(new byte[2 * INITIAL_WINDOW]));
      assertFalse(out.isWritable());
      out.flush();
      pair.pump();
      assertFalse(out.isWritable(), "half still waits for window");
      pair.serverAccepted.get(0).read();
      pair.pump();
      assertTrue(out.isWritable());
      assertEquals(List.of(false, true), events.writability);
    }
  }

  @Test
  void aConnectionThatCannotTakeMoreStopsTheStreamsInsteadOfQueueing() {
    try (SessionPair pair = new SessionPair()) {
      List<Collector> sinks = new ArrayList<>();
      pair.onServerStream = s -> {
        Collector sink = new Collector();
        sinks.add(sink);
        s.pipeline().addLast(sink);
      };
      YamuxStreamChannel out = pair.open();
      YamuxStreamChannel other = pair.open();
      Collector events = new Collector();
      out.pipeline().addLast(events);
      pair.clientConnection.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8 * 1024, 16 * 1024));

      pair.clientValve.close(); // the peer stopped reading TCP
      ChannelFuture first = out.writeAndFlush(Unpooled.wrappedBuffer(random(1 << 20, 1)));
      long pending = pair.clientConnection.unsafe().outboundBuffer().totalPendingWriteBytes();
      assertFalse(pair.clientConnection.isWritable());
      assertTrue(pending <= 16 * 1024 + YamuxFrame.HEADER_LENGTH + 65507 + 1024, "pending " + pending);
      assertFalse(out.isWritable(), "the stream shows the connection's back-pressure");
      assertFalse(other.isWritable());

      out.writeAndFlush(Unpooled.wrappedBuffer(random(1 << 20, 2)));
      other.writeAndFlush(Unpooled.wrappedBuffer(random(1 << 20, 3)));
      assertEquals(pending, pair.clientConnection.unsafe().outboundBuffer().totalPendingWriteBytes(),
          "nothing more went to the connection");

      pair.clientValve.open();
      pair.pump();
      assertEquals(3 << 20, sinks.stream().mapToLong(c -> c.bytes).sum());
      assertTrue(first.isSuccess());
      assertTrue(out.isWritable());
      assertTrue(other.isWritable());
      assertEquals(List.of(false, true), events.writability);
    }
  }

  @Test
  void aConnectionStalledPastTheWriteTimeoutIsClosed() {
    try (SessionPair pair = new SessionPair(TestSettings.with(Map.of("writeTimeout", 1000L)))) {
      YamuxStreamChannel out = pair.open();
      pair.clientConnection.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
      pair.clientValve.close();
      out.writeAndFlush(Unpooled.wrappedBuffer(new byte[8192]));
      assertFalse(pair.clientConnection.isWritable());
      pair.clientConnection.advanceTimeBy(999, TimeUnit.MILLISECONDS);
      pair.clientConnection.runPendingTasks();
      assertTrue(pair.clientConnection.isOpen());
      pair.clientConnection.advanceTimeBy(2, TimeUnit.MILLISECONDS);
      pair.clientConnection.runPendingTasks();
      assertFalse(pair.clientConnection.isOpen());
      assertFalse(out.isActive());
    }
  }

  @Test
  void theReceiveWindowGrowsForAReaderThatKeepsUp() {
    try (SessionPair pair = new SessionPair()) {
      Collector sink = new Collector();
      pair.onServerStream = s -> s.pipeline().addLast(sink);
      YamuxStreamChannel out = pair.open();
      out.writeAndFlush(Unpooled.wrappedBuffer(new byte[64 << 20]));
      pair.pump(); // the clock stands still: every window was consumed well within four round trips
      YamuxStreamChannel in = pair.serverAccepted.get(0);
      assertEquals(64 << 20, sink.bytes);
      assertEquals(16 << 20, in.receiveWindow(), "grown to maxReceiveWindow");
    }
  }

  @Test
  void consumedWindowGoesBackOnceAQuarterOfItWasRead() {
    try (SessionPair pair = new SessionPair()) {
      Collector sink = new Collector();
      pair.onServerStream = s -> s.pipeline().addLast(sink);
      YamuxStreamChannel out = pair.open();
      out.writeAndFlush(Unpooled.wrappedBuffer(new byte[INITIAL_WINDOW / 4 - 1]));
      pair.pump();
      assertEquals(0, windowUpdates(pair), "less than a quarter read: no update yet");
      out.writeAndFlush(Unpooled.wrappedBuffer(new byte[1]));
      pair.pump();
      assertEquals(1, windowUpdates(pair), "a quarter read: its credit goes back");
      assertEquals(INITIAL_WINDOW / 4, sink.bytes);
    }
  }

  private static long windowUpdates(SessionPair pair) {
    return pair.toClient.stream().filter(f -> f.type() == YamuxFrame.TYPE_WINDOW_UPDATE && f.length() > 0).count();
  }

  @Test
  void theReceiveWindowStaysForASlowReader() {
    try (SessionPair pair = new SessionPair()) {
      pair.onServerStream = s -> s.config().setAutoRead(false);
      YamuxStreamChannel out = pair.open();
      out.writeAndFlush(Unpooled.wrappedBuffer(new byte[4 << 20]));
      pair.pump();
      YamuxStreamChannel in = pair.serverAccepted.get(0);
      for (int i = 0; i < 16; i++) {
        pair.clock.addAndGet(TimeUnit.SECONDS.toNanos(1)); // far slower than the round trip
        in.read();
        pair.pump();
      }
      assertEquals(INITIAL_WINDOW, in.receiveWindow());
      in.config().setAutoRead(true);
      pair.pump();
    }
  }

  @Test
  void autoTuningStaysWithinTheConnectionsBudget() {
    YamuxSettings settings = TestSettings.with(Map.of("maxConnectionReceiveWindow", 16 << 20));
    try (SessionPair pair = new SessionPair(settings)) {
      pair.onServerStream = s -> s.pipeline().addLast(new Collector());
      YamuxStreamChannel a = pair.open();
      YamuxStreamChannel b = pair.open();
      a.writeAndFlush(Unpooled.wrappedBuffer(new byte[64 << 20]));
      b.writeAndFlush(Unpooled.wrappedBuffer(new byte[64 << 20]));
      pair.pump();
      long total = pair.serverAccepted.stream().mapToLong(YamuxStreamChannel::receiveWindow).sum();
      assertTrue(total <= 16 << 20, "total " + total);
      assertTrue(total > 2 * INITIAL_WINDOW, "some growth: " + total);
    }
  }
}
