package io.cairn.libp2p.yamux.internal;

import io.cairn.libp2p.StreamChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client (initiator) and a server session over two embedded connections, with a pump that carries
 * what each writes to the other until both are quiet. Each connection has a {@link Valve} at its head:
 * closed, its writes pile up unflushed, as with a peer that stopped reading TCP.
 */
final class SessionPair implements AutoCloseable {
  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  final TestLogger log = new TestLogger();
  final EmbeddedChannel clientConnection = new EmbeddedChannel();
  final EmbeddedChannel serverConnection = new EmbeddedChannel();
  final Valve clientValve = new Valve();
  final Valve serverValve = new Valve();
  final YamuxSession client;
  final YamuxSession server;
  /** The header of every frame carried, in order, each way. */
  final List<Frames.Sent> toServer = new ArrayList<>();
  final List<Frames.Sent> toClient = new ArrayList<>();
  final List<YamuxStreamChannel> clientAccepted = new ArrayList<>();
  final List<YamuxStreamChannel> serverAccepted = new ArrayList<>();
  /** What the server does with each stream the client opens, before any of its data. */
  Consumer<StreamChannel> onServerStream = s -> {};
  Consumer<StreamChannel> onClientStream = s -> {};

  SessionPair() {
    this(YamuxSettings.defaults());
  }

  SessionPair(YamuxSettings settings) {
    // Timers run only when a test advances the embedded clock.
    clientConnection.freezeTime();
    serverConnection.freezeTime();
    clientConnection.pipeline().addFirst(clientValve);
    serverConnection.pipeline().addFirst(serverValve);
    client = YamuxSession.start(clientConnection, true, s -> {
      clientAccepted.add((YamuxStreamChannel) s);
      onClientStream.accept(s);
    }, settings, clock::get, log.logger);
    server = YamuxSession.start(serverConnection, false, s -> {
      serverAccepted.add((YamuxStreamChannel) s);
      onServerStream.accept(s);
    }, settings, clock::get, log.logger);
    pump();
  }

  /** Carries frames both ways, and runs pending tasks, until nothing moves; returns the buffers moved. */
  int pump() {
    int moved = 0;
    int round;
    do {
      // Tasks first: what they write (a timer's frame, a deferred close) is carried in the same round.
      clientConnection.runPendingTasks();
      serverConnection.runPendingTasks();
      round = transfer(clientConnection, serverConnection, toServer)
          + transfer(serverConnection, clientConnection, toClient);
      moved += round;
    } while (round > 0);
    return moved;
  }

  private static int transfer(EmbeddedChannel from, EmbeddedChannel to, List<Frames.Sent> log) {
    int moved = 0;
    Object msg;
    while ((msg = from.readOutbound()) != null) {
      moved++;
      // The encoder writes one buffer per frame.
      io.netty.buffer.ByteBuf frame = (io.netty.buffer.ByteBuf) msg;
      int at = frame.readerIndex();
      log.add(new Frames.Sent(frame.getUnsignedByte(at + 1), frame.getUnsignedShort(at + 2),
          frame.getUnsignedInt(at + 4), frame.getUnsignedInt(at + 8), new byte[0]));
      if (to.isOpen()) {
        to.writeInbound(msg);
      } else {
        io.netty.util.ReferenceCountUtil.release(msg);
      }
    }
    return moved;
  }

  YamuxStreamChannel open() {
    YamuxStreamChannel stream = (YamuxStreamChannel) client.openStream().join();
    pump();
    return stream;
  }

  /** Releases everything; fails the test if a session logged a warning or an error. */
  @Override
  public void close() {
    clientConnection.finishAndReleaseAll();
    serverConnection.finishAndReleaseAll();
    if (!log.problems.isEmpty()) {
      throw new AssertionError("the sessions logged problems: " + log.problems);
    }
  }

  /** Holds back flushes while closed, so written frames stay pending in the connection. */
  static final class Valve extends ChannelOutboundHandlerAdapter {
    private ChannelHandlerContext ctx;
    private boolean closed;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (!closed) {
        ctx.flush();
      }
    }

    void close() {
      closed = true;
    }

    void open() {
      closed = false;
      ctx.flush();
    }
  }
}
