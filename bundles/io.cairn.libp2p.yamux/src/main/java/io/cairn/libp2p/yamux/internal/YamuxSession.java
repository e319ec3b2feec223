package io.cairn.libp2p.yamux.internal;

import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_ACK;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_FIN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_RST;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_SYN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.GO_AWAY_INTERNAL_ERROR;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.GO_AWAY_NORMAL;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.GO_AWAY_PROTOCOL_ERROR;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.INITIAL_WINDOW;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.MAX_WINDOW;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_DATA;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_PING;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_WINDOW_UPDATE;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.spi.MuxedSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.osgi.service.log.Logger;

/**
 * The yamux session of one connection: the last handler of its pipeline, after
 * {@link YamuxFrameDecoder} and {@link YamuxFrameEncoder}. It keeps the stream table, routes frames to
 * {@link YamuxStreamChannel}s, answers pings, pings the peer when asked ({@link #ping}: once at the start,
 * to measure the round trip; the network layer's keep-alive manager pings to keep the connection alive and
 * judges the answers), and ends the session on a protocol error (go-away, then close). Everything runs on
 * the connection's event loop.
 *
 * <p>What the peer can make us send is bounded while the connection cannot take more (the peer does
 * not read): stream data waits in the streams, which turn unwritable; ping replies queue up to
 * {@code pingReplyQueue} and are dropped beyond; window updates are owed per stream and coalesced;
 * resets of refused streams queue up to {@code maxStreams + maxAckBacklog}, more than a peer that
 * respects the ACK backlog can cause, and beyond that the session ends. A connection that stays
 * unwritable for {@code writeTimeout} is closed.
 */
final class YamuxSession extends ChannelInboundHandlerAdapter implements MuxedSession, YamuxFrameDecoder.DataLengthLimit {
  private final Channel connection;
  private final boolean initiator;
  private final Consumer<StreamChannel> inbound;
  private final YamuxSettings settings;
  private final LongSupplier nanoClock;
  private final Logger log;

  private ChannelHandlerContext ctx;
  private final IntObjectMap<YamuxStreamChannel> streams = new IntObjectHashMap<>();
  private volatile int streamCount;
  /** Our next stream id: odd when we initiated the connection (the yamux client), even otherwise. */
  private long nextStreamId;
  /** Streams we opened that the peer has not acknowledged. */
  private int outboundUnacked;
  /** Streams the peer opened that we have not acknowledged. */
  private int inboundUnacked;
  /** Sum of the streams' receive windows, which auto-tuning may grow up to maxConnectionReceiveWindow. */
  private long totalReceiveWindow;
  private boolean goAwayReceived;
  /** Go-away sent or the connection gone: frames are discarded, streams closed. */
  private boolean ended;

  private final ArrayDeque<Long> pingRepliesOwed = new ArrayDeque<>();
  private final ArrayDeque<Integer> resetsOwed = new ArrayDeque<>();
  private final Set<YamuxStreamChannel> windowUpdatesOwed = new LinkedHashSet<>();
  private final Set<YamuxStreamChannel> blockedWriters = new LinkedHashSet<>();

  /** Above zero while a batch of work runs (a read, a writability change): one flush at its end. */
  private int batchDepth;
  private boolean flushPending;

  /** Written on the event loop, read by any thread ({@link #roundTrip()}). */
  private volatile long rttNanos;
  private long pingOpaque;
  private long pingSentAt;
  /** The ping in flight, null when none is: one at a time, whoever asks meanwhile shares its answer. */
  private CompletableFuture<Duration> pingAnswer;
  private ScheduledFuture<?> writeStall;

  private YamuxSession(Channel connection, boolean initiator, Consumer<StreamChannel> inbound, YamuxSettings settings,
      LongSupplier nanoClock, Logger log) {
    this.connection = connection;
    this.initiator = initiator;
    this.inbound = inbound;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.log = log;
    this.nextStreamId = initiator ? 1 : 2;
  }

  /** Adds the decoder, the encoder and a new session at the end of {@code connection}'s pipeline. */
  static YamuxSession start(Channel connection, boolean initiator, Consumer<StreamChannel> inbound,
      YamuxSettings settings, LongSupplier nanoClock, Logger log) {
    YamuxSession session = new YamuxSession(connection, initiator, inbound, settings, nanoClock, log);
    connection.pipeline().addLast("yamux-decoder", new YamuxFrameDecoder(session))
        .addLast("yamux-encoder", new YamuxFrameEncoder())
        .addLast("yamux", session);
    return session;
  }

  YamuxSettings settings() {
    return settings;
  }

  long nanoTime() {
    return nanoClock.getAsLong();
  }

  /** The last measured round trip, 0 before the first ping came back. */
  long rttNanos() {
    return rttNanos;
  }

  // ---- MuxedSession --------------------------------------------------------------------------

  @Override
  public CompletableFuture<StreamChannel> openStream() {
    CompletableFuture<StreamChannel> result = new CompletableFuture<>();
    onEventLoop(() -> openOutbound(result));
    return result;
  }

  @Override
  public int streamCount() {
    return streamCount;
  }

  @Override
  public Optional<Duration> roundTrip() {
    long rtt = rttNanos;
    return rtt == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(rtt));
  }

  @Override
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    onEventLoop(() -> sendPing().whenComplete((rtt, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else {
        result.complete(rtt);
      }
    }));
    return result;
  }

  @Override
  public void close() {
    onEventLoop(() -> end(GO_AWAY_NORMAL));
  }

  private void onEventLoop(Runnable task) {
    if (connection.eventLoop().inEventLoop()) {
      task.run();
    } else {
      connection.eventLoop().execute(task);
    }
  }

  private void openOutbound(CompletableFuture<StreamChannel> result) {
    String refusal = ended || goAwayReceived ? "the yamux session is closing"
        : streams.size() >= settings.maxStreams() ? "the limit of " + settings.maxStreams() + " streams is reached"
        : outboundUnacked >= settings.maxAckBacklog() ? outboundUnacked + " streams await the peer's acknowledgement"
        : nextStreamId > MAX_WINDOW ? "the stream ids are used up"
        : null;
    if (refusal != null) {
      result.completeExceptionally(new Libp2pException(refusal));
      return;
    }
    int id = (int) nextStreamId;
    nextStreamId += 2;
    YamuxStreamChannel stream = new YamuxStreamChannel(this, connection, id, false);
    outboundUnacked++;
    register(stream);
    write(YamuxFrame.windowUpdate(FLAG_SYN, id, 0));
    flushSoon();
    result.complete(stream);
  }

  private YamuxStreamChannel openInbound(int id) {
    YamuxStreamChannel stream = new YamuxStreamChannel(this, connection, id, true);
    inboundUnacked++;
    register(stream);
    try {
      inbound.accept(stream);
    } catch (RuntimeException e) {
      log.warn("The inbound stream handler failed on yamux stream {} of {}; resetting the stream", stream.streamId(),
          connection, e);
      stream.reset();
    }
    return stream;
  }

  private void register(YamuxStreamChannel stream) {
    streams.put(stream.wireId(), stream);
    streamCount = streams.size();
    totalReceiveWindow += stream.receiveWindow();
    // On the connection's own event loop registration completes at once: the stream is active now.
    connection.eventLoop().register(stream);
    if (!connection.isWritable()) {
      stream.connectionWritabilityChanged(false);
    }
  }

  /** Forgets a stream; false when it was not (or no longer) known. */
  boolean removeStream(YamuxStreamChannel stream) {
    if (streams.get(stream.wireId()) != stream) {
      return false;
    }
    streams.remove(stream.wireId());
    streamCount = streams.size();
    if (stream.awaitingAck()) {
      outboundUnacked--;
    }
    if (stream.ackOwed()) {
      inboundUnacked--;
    }
    totalReceiveWindow -= stream.receiveWindow();
    windowUpdatesOwed.remove(stream);
    blockedWriters.remove(stream);
    stream.forgotten();
    return true;
  }

  void inboundAcknowledged() {
    inboundUnacked--;
  }

  boolean reserveReceiveWindow(long growth) {
    if (totalReceiveWindow + growth > settings.maxConnectionReceiveWindow()) {
      return false;
    }
    totalReceiveWindow += growth;
    return true;
  }

  // ---- reading frames ------------------------------------------------------------------------

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    // One ping at once measures the round trip; keep-alive pings refresh it.
    sendPing();
    if (!connection.isWritable()) {
      connectionBlocked();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    shutdown();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof YamuxFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    batchDepth++;
    try {
      if (!ended) {
        switch (frame.type()) {
          case TYPE_DATA, TYPE_WINDOW_UPDATE -> onStreamFrame(frame);
          case TYPE_PING -> onPing(frame);
          default -> onGoAway(frame);
        }
      }
    } catch (YamuxProtocolException e) {
      protocolError(e.getMessage());
    } finally {
      frame.release(); // what a stream keeps it has retained
      batchDepth--;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    flushIfPending();
    ctx.fireChannelReadComplete();
  }

  @Override
  public long maxDataLength(int streamId, int flags) {
    YamuxStreamChannel stream = streams.get(streamId);
    if (stream != null) {
      return stream.receiveCredit();
    }
    if ((flags & FLAG_SYN) != 0) {
      return INITIAL_WINDOW; // a new stream's first frame: a larger body is the GHSA-vxx9-2994-q338 attack
    }
    // A stream that is gone: the peer may still have had this much window; the data is drained.
    return settings.maxReceiveWindow();
  }

  private void onStreamFrame(YamuxFrame frame) {
    int id = frame.streamId();
    YamuxStreamChannel stream = streams.get(id);
    if (frame.has(FLAG_SYN)) {
      if (stream != null) {
        throw new YamuxProtocolException("SYN for stream " + frame.unsignedStreamId() + ", which is open");
      }
      if (isOurs(id)) {
        throw new YamuxProtocolException("the peer opened stream " + frame.unsignedStreamId() + ", an id of our parity");
      }
      if (streams.size() >= settings.maxStreams() || inboundUnacked >= settings.maxAckBacklog()) {
        refuse(id); // its data is drained and not credited: the stream never existed for us
        return;
      }
      stream = openInbound(id);
    }
    if (stream == null || !knows(stream)) {
      return; // a stream that is gone (or never was): its frame is drained
    }
    if (frame.has(FLAG_ACK) && stream.acknowledgedByPeer()) {
      outboundUnacked--;
    }
    if (frame.type() == TYPE_WINDOW_UPDATE) {
      if (stream.sendWindow() + frame.length() > MAX_WINDOW) {
        throw new YamuxProtocolException("a window update of " + frame.length() + " overflows the window of stream "
            + frame.unsignedStreamId());
      }
      stream.onWindowUpdate(frame.length());
    } else if (frame.length() > 0) {
      stream.onData(frame.data().retain()); // the stream owns this reference; channelRead releases the frame's
    }
    if (frame.has(FLAG_FIN) && knows(stream)) {
      stream.onRemoteFin();
    }
    if (frame.has(FLAG_RST) && knows(stream)) {
      stream.onRemoteReset();
    }
  }

  private boolean isOurs(int id) {
    return ((id & 1) == 1) == initiator;
  }

  boolean knows(YamuxStreamChannel stream) {
    return streams.get(stream.wireId()) == stream;
  }

  private void onPing(YamuxFrame frame) {
    if (frame.has(FLAG_SYN)) {
      answerPing(frame.length());
    } else if (pingAnswer != null && frame.length() == pingOpaque) {
      long rtt = Math.max(1, nanoTime() - pingSentAt);
      rttNanos = rtt;
      CompletableFuture<Duration> answered = pingAnswer;
      pingAnswer = null;
      answered.complete(Duration.ofNanos(rtt));
    }
  }

  private void answerPing(long opaque) {
    if (connectionWritable() && pingRepliesOwed.isEmpty()) {
      write(YamuxFrame.ping(FLAG_ACK, opaque));
      flushSoon();
    } else if (pingRepliesOwed.size() < settings.pingReplyQueue()) {
      pingRepliesOwed.add(opaque);
    }
    // else dropped: a peer that floods pings and does not read the replies gets no more of them
  }

  private void onGoAway(YamuxFrame frame) {
    goAwayReceived = true;
    if (frame.length() != GO_AWAY_NORMAL) {
      log.debug("The peer ended the yamux session on {} with go-away code {}", connection, frame.length());
      abort();
    }
  }

  // ---- writing frames ------------------------------------------------------------------------

  boolean connectionWritable() {
    return !ended && connection.isWritable();
  }

  /** Writes a frame, whose ownership passes to the connection's pipeline. */
  void write(YamuxFrame frame) {
    if (ended) {
      frame.release();
      return;
    }
    ctx.write(frame, ctx.voidPromise());
  }

  ChannelFuture writeWithFuture(YamuxFrame frame) {
    if (ended) {
      frame.release();
      return ctx.newFailedFuture(new ClosedChannelException());
    }
    return ctx.write(frame);
  }

  /** Flushes now, or at the end of the batch of work under way. */
  void flushSoon() {
    if (batchDepth > 0) {
      flushPending = true;
    } else {
      ctx.flush();
    }
  }

  private void flushIfPending() {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
  }

  void writeReset(int id) {
    write(YamuxFrame.windowUpdate(FLAG_RST, id, 0));
    flushSoon();
  }

  /** A reset the peer's behaviour calls for (a refused stream, data after our close): bounded. */
  void refuse(int id) {
    if (connectionWritable() && resetsOwed.isEmpty()) {
      writeReset(id);
    } else if (resetsOwed.size() < settings.maxStreams() + settings.maxAckBacklog()) {
      resetsOwed.add(id);
    } else {
      protocolError("the peer keeps opening streams past the ACK backlog while it does not read");
    }
  }

  void windowUpdateDue(YamuxStreamChannel stream) {
    if (connectionWritable()) {
      windowUpdatesOwed.remove(stream);
      write(stream.windowUpdateFrame());
      flushSoon();
    } else {
      windowUpdatesOwed.add(stream);
    }
  }

  void awaitConnectionWritable(YamuxStreamChannel stream) {
    blockedWriters.add(stream);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ended) {
      if (connection.isWritable()) {
        connectionUnblocked();
      } else {
        connectionBlocked();
      }
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void connectionBlocked() {
    for (YamuxStreamChannel stream : streamsSnapshot()) {
      stream.connectionWritabilityChanged(false);
    }
    if (writeStall == null) {
      writeStall = connection.eventLoop().schedule(this::writeStalled, settings.writeTimeoutMillis(), MILLISECONDS);
    }
  }

  private void writeStalled() {
    writeStall = null;
    if (!ended && !connection.isWritable()) {
      log.debug("The peer on {} read nothing for {} ms; closing the connection", connection,
          settings.writeTimeoutMillis());
      abort();
    }
  }

  private void connectionUnblocked() {
    cancel(writeStall);
    writeStall = null;
    batchDepth++;
    try {
      // Owed control frames first: they are few and unblock the peer.
      while (!pingRepliesOwed.isEmpty()) {
        write(YamuxFrame.ping(FLAG_ACK, pingRepliesOwed.poll()));
      }
      while (!resetsOwed.isEmpty()) {
        writeReset(resetsOwed.poll());
      }
      YamuxStreamChannel[] owed = windowUpdatesOwed.toArray(YamuxStreamChannel[]::new);
      windowUpdatesOwed.clear();
      for (YamuxStreamChannel stream : owed) {
        write(stream.windowUpdateFrame());
      }
      for (YamuxStreamChannel stream : streamsSnapshot()) {
        stream.connectionWritabilityChanged(true);
      }
      // A writer that blocks again re-queues itself, which only happens once the connection is full.
      while (connectionWritable() && !blockedWriters.isEmpty()) {
        YamuxStreamChannel writer = blockedWriters.iterator().next();
        blockedWriters.remove(writer);
        writer.resumeWrites();
      }
      flushPending = true;
    } finally {
      batchDepth--;
    }
    flushIfPending();
  }

  private YamuxStreamChannel[] streamsSnapshot() {
    return streams.values().toArray(YamuxStreamChannel[]::new);
  }

  // ---- keep-alive ----------------------------------------------------------------------------

  /** On the event loop: the ping in flight, or a new one; fails at once once the session ended. */
  private CompletableFuture<Duration> sendPing() {
    if (ended) {
      return CompletableFuture.failedFuture(new ClosedChannelException());
    }
    if (pingAnswer != null) {
      return pingAnswer;
    }
    pingAnswer = new CompletableFuture<>();
    pingOpaque = (pingOpaque + 1) & MAX_WINDOW;
    pingSentAt = nanoTime();
    write(YamuxFrame.ping(FLAG_SYN, pingOpaque));
    flushSoon();
    return pingAnswer;
  }

  // ---- ending --------------------------------------------------------------------------------

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof YamuxProtocolException) {
      protocolError(cause.getMessage());
    } else if (Libp2pException.isPeerFailure(cause)) {
      // The connection below us failed: the transport, or the security layer (a Noise failure, which
      // Noise has logged, such as a peer that reset its connection mid-frame). Nothing more can be sent.
      log.debug("The yamux connection {} failed: {}", connection, cause.toString());
      abort();
    } else {
      log.warn("The yamux session on {} failed", connection, cause);
      end(GO_AWAY_INTERNAL_ERROR);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    shutdown();
    ctx.fireChannelInactive();
  }

  private void protocolError(String violation) {
    if (!ended) {
      log.debug("Yamux protocol error from {}: {}; ending the session", connection, violation);
      end(GO_AWAY_PROTOCOL_ERROR);
    }
  }

  /**
   * Go-away with {@code code}, then close the connection once it is written, or after
   * {@code writeTimeout} if the peer does not read.
   */
  private void end(long code) {
    if (ended) {
      return;
    }
    ChannelFuture written = ctx.writeAndFlush(YamuxFrame.goAway(code));
    ScheduledFuture<?> deadline = connection.eventLoop().schedule(() -> connection.close(),
        settings.writeTimeoutMillis(), MILLISECONDS);
    written.addListener(f -> {
      deadline.cancel(false);
      connection.close();
    });
    shutdown();
  }

  /** Close the connection without a word: the peer ended the session or cannot be written to. */
  private void abort() {
    shutdown();
    connection.close();
  }

  /** Local cleanup, once: timers, owed frames, streams. */
  private void shutdown() {
    if (ended) {
      return;
    }
    ended = true;
    cancel(writeStall);
    if (pingAnswer != null) {
      pingAnswer.completeExceptionally(new ClosedChannelException());
      pingAnswer = null;
    }
    pingRepliesOwed.clear();
    resetsOwed.clear();
    windowUpdatesOwed.clear();
    blockedWriters.clear();
    YamuxStreamChannel[] all = streamsSnapshot();
    streams.clear();
    streamCount = 0;
    for (YamuxStreamChannel stream : all) {
      stream.sessionEnded();
    }
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }
}
