package io.cairn.libp2p.yamux.internal;

import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_ACK;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_FIN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.INITIAL_WINDOW;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.cairn.libp2p.StreamChannel;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One yamux stream as a child channel of the connection, on the connection's event loop.
 *
 * <p>Writing: the application's buffers wait in this channel's outbound buffer (which makes the
 * channel unwritable past the configured high-water mark) and leave it as data frames of at most the
 * peer's window and {@code maxFrameLength}; a window update from the peer, or the connection turning
 * writable again, resumes them. A write's future completes when its last byte was handed to the
 * connection.
 *
 * <p>Reading: data frames wait here, at most our receive window's worth, until the pipeline reads
 * ({@code autoRead}, or {@code read()}). Window goes back to the peer only for data that went down
 * the pipeline, so a reader that stops makes the peer stop. The window doubles (up to
 * {@code maxReceiveWindow}, within the connection's budget) when half of it was consumed within four
 * round trips, i.e. when the window rather than the reader limits the transfer, as in go-yamux.
 *
 * <p>Ending:
 * <ul>
 *   <li>{@link #closeWrite()}: FIN once everything written before it is sent; later writes fail with
 *       {@link ClosedChannelException}; reading goes on.
 *   <li>The peer's FIN: {@link ChannelInputShutdownEvent} after the last buffered data; the channel
 *       stays writable. Once both FINs are through, the channel closes and the stream is gone.
 *   <li>{@link #close()}: unsent writes fail, unread data is dropped, FIN goes if it has not. If the
 *       peer's side is still open the stream stays known to the session, closed to the application,
 *       until the peer's FIN or RST, at most {@code streamCloseTimeout} (then RST); data it still sends
 *       is answered with RST, which ends the stream (nobody will read it). When unread data had to be
 *       dropped, RST goes at once instead of waiting.
 *   <li>{@link #reset()} sends RST; the peer's RST closes the channel. Both drop unread and unsent data.
 * </ul>
 */
final class YamuxStreamChannel extends AbstractChannel implements StreamChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  /** Buffers handed down per read, like a socket's maxMessagesPerRead. */
  private static final int MESSAGES_PER_READ = 16;
  /** User-defined writability bit that mirrors the connection's writability. */
  private static final int CONNECTION_WRITABILITY = 1;

  /** How the channel came to close: it decides what goes on the wire. */
  private enum Ending { APPLICATION, RESET, PEER_RESET, BOTH_FINISHED, SESSION_ENDED }

  private final YamuxSession session;
  private final int id;
  private final StreamConfig config;
  private boolean open = true;
  private Ending ending = Ending.APPLICATION;

  /** An inbound stream is acknowledged with the first frame we send on it (spec: not implicitly). */
  private boolean ackOwed;
  /** An outbound stream counts in the session's ACK backlog until the peer acknowledges it. */
  private boolean awaitingAck;

  private long sendWindow = INITIAL_WINDOW;
  /** closeWrite() was called: writes are refused, FIN follows the data already written. */
  private boolean outputShutdown;
  private ChannelPromise finPromise;
  private boolean finSent;
  /** Inside doWrite, where a resume can only be noted, not run. */
  private boolean writing;
  private boolean resumeRequested;

  /** Data received and not yet read, owned here until fired down the pipeline. */
  private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>();
  private long receiveWindow = INITIAL_WINDOW;
  /** Bytes the peer may still send: the decoder refuses a frame longer than this. */
  private long receiveCredit = INITIAL_WINDOW;
  /** Bytes read by the pipeline and not yet returned to the peer as window. */
  private long consumedBytes;
  private long windowEpochNanos;
  private boolean readPending;
  private boolean inReadLoop;
  private boolean remoteFin;
  private boolean remoteFinSignalled;
  /** Closed by the application while the peer's side is open: the session waits for the peer this long. */
  private ScheduledFuture<?> lingerDeadline;

  YamuxStreamChannel(YamuxSession session, Channel connection, int id, boolean inbound) {
    super(connection);
    this.session = session;
    this.id = id;
    this.ackOwed = inbound;
    this.awaitingAck = !inbound;
    this.config = new StreamConfig(this);
    config.setWriteBufferWaterMark(session.settings().writeQueue());
    this.windowEpochNanos = session.nanoTime();
  }

  int wireId() {
    return id;
  }

  @Override
  public long streamId() {
    return Integer.toUnsignedLong(id);
  }

  @Override
  public boolean isInputShutdown() {
    return remoteFin;
  }

  @Override
  public ChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return loop == parent().eventLoop();
  }

  @Override
  protected SocketAddress localAddress0() {
    return parent().localAddress();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return parent().remoteAddress();
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("a yamux stream cannot be bound");
  }

  @Override
  protected void doDisconnect() {
    throw new UnsupportedOperationException("a yamux stream has no disconnect: close it");
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new StreamUnsafe();
  }

  // ---- writing -------------------------------------------------------------------------------

  @Override
  protected Object filterOutboundMessage(Object msg) throws Exception {
    if (!(msg instanceof ByteBuf)) {
      throw new UnsupportedOperationException("a yamux stream writes ByteBufs, not " + msg.getClass().getName());
    }
    if (outputShutdown) {
      throw new ClosedChannelException();
    }
    return msg;
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    writing = true;
    try {
      do {
        resumeRequested = false;
        writeFrames(in);
        // Flushing can make the connection writable again at once, and the session then asks us to go on.
        session.flushSoon();
      } while (resumeRequested);
    } finally {
      writing = false;
    }
  }

  private void writeFrames(ChannelOutboundBuffer in) {
    for (;;) {
      ByteBuf buf = (ByteBuf) in.current();
      if (buf == null) {
        if (outputShutdown) {
          sendFin();
        }
        return;
      }
      if (!buf.isReadable()) {
        in.remove();
        continue;
      }
      if (sendWindow == 0) {
        return; // the peer's window update resumes us
      }
      if (!session.connectionWritable()) {
        session.awaitConnectionWritable(this);
        return;
      }
      int length = (int) Math.min(Math.min(buf.readableBytes(), sendWindow), session.settings().maxFrameLength());
      // The slice belongs to the frame, which the connection's pipeline releases once written.
      ByteBuf body = buf.readRetainedSlice(length);
      sendWindow -= length;
      session.write(YamuxFrame.data(openingFlags(), id, body));
      in.progress(length);
      if (!buf.isReadable()) {
        in.remove(); // releases the application's buffer and completes its write
      }
    }
  }

  /** Called by the session when the peer grants window; overflow was checked there. */
  void onWindowUpdate(long credit) {
    sendWindow += credit;
    if (credit > 0) {
      resumeWrites();
    }
  }

  long sendWindow() {
    return sendWindow;
  }

  /** Writes what waits, as far as window and connection allow. */
  void resumeWrites() {
    if (writing) {
      resumeRequested = true;
    } else {
      ((StreamUnsafe) unsafe()).resumeWrites();
    }
  }

  /** The connection's writability, mirrored so that the application sees it on every stream. */
  void connectionWritabilityChanged(boolean writable) {
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (buffer != null) {
      buffer.setUserDefinedWritability(CONNECTION_WRITABILITY, writable);
    }
  }

  @Override
  public ChannelFuture closeWrite() {
    ChannelPromise promise = newPromise();
    if (eventLoop().inEventLoop()) {
      closeWrite(promise);
    } else {
      eventLoop().execute(() -> closeWrite(promise));
    }
    return promise;
  }

  private void closeWrite(ChannelPromise promise) {
    if (finSent) {
      promise.setSuccess();
      return;
    }
    if (!open) {
      promise.setFailure(new ClosedChannelException());
      return;
    }
    if (outputShutdown) {
      finPromise.addListener(f -> cascade(f, promise));
      return;
    }
    outputShutdown = true;
    finPromise = promise;
    // Everything written so far is sent first; doWrite sends FIN when the buffer runs empty.
    flush();
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (buffer == null || buffer.isEmpty()) {
      sendFin();
    }
  }

  private void sendFin() {
    if (finSent) {
      return;
    }
    finSent = true;
    outputShutdown = true;
    ChannelFuture written = session.writeWithFuture(YamuxFrame.windowUpdate(openingFlags() | FLAG_FIN, id, 0));
    session.flushSoon();
    if (finPromise != null) {
      ChannelPromise promise = finPromise;
      written.addListener(f -> cascade(f, promise));
    }
    closeIfBothFinished();
  }

  private static void cascade(io.netty.util.concurrent.Future<?> from, ChannelPromise to) {
    if (from.isSuccess()) {
      to.trySuccess();
    } else {
      to.tryFailure(from.cause());
    }
  }

  /** ACK on the first frame of an inbound stream; nothing otherwise (SYN went when we opened it). */
  int openingFlags() {
    if (!ackOwed) {
      return 0;
    }
    ackOwed = false;
    session.inboundAcknowledged();
    return FLAG_ACK;
  }

  boolean ackOwed() {
    return ackOwed;
  }

  /** The peer's ACK arrived; true when this stream was still counted in the outbound backlog. */
  boolean acknowledgedByPeer() {
    boolean was = awaitingAck;
    awaitingAck = false;
    return was;
  }

  boolean awaitingAck() {
    return awaitingAck;
  }

  // ---- reading -------------------------------------------------------------------------------

  long receiveCredit() {
    return receiveCredit;
  }

  long receiveWindow() {
    return receiveWindow;
  }

  /** Data from the peer, whose ownership passes to this stream; the decoder kept it within the window. */
  void onData(ByteBuf data) {
    receiveCredit -= data.readableBytes();
    if (!open) {
      // Closed by the application while the peer still writes: nobody will read this.
      data.release();
      session.refuse(id);
      session.removeStream(this);
      return;
    }
    if (remoteFin || !data.isReadable()) {
      data.release(); // past the peer's FIN nothing more is delivered (nor credited)
      return;
    }
    unread.add(data);
    deliver();
  }

  void onRemoteFin() {
    remoteFin = true;
    if (!open) {
      session.removeStream(this); // the application closed its side already: the stream is over
      return;
    }
    signalInputShutdownIfDrained();
  }

  void onRemoteReset() {
    if (!open) {
      session.removeStream(this);
      return;
    }
    ending = Ending.PEER_RESET;
    unsafe().close(unsafe().voidPromise());
  }

  @Override
  protected void doBeginRead() {
    if (!open) {
      return;
    }
    readPending = true;
    deliver();
  }

  /**
   * Hands unread data down the pipeline while it asks for it. A read complete ends each batch; with
   * autoRead on, the head asks for the next read inside it, which only sets {@code readPending} here
   * (the loop, not recursion, serves it).
   */
  private void deliver() {
    if (inReadLoop) {
      return;
    }
    inReadLoop = true;
    try {
      while (readPending && open && !unread.isEmpty()) {
        readPending = false;
        int messages = 0;
        do {
          ByteBuf data = unread.poll();
          consumedBytes += data.readableBytes();
          pipeline().fireChannelRead(data); // the pipeline owns it now
        } while (++messages < MESSAGES_PER_READ && open && !unread.isEmpty());
        returnConsumedWindow();
        pipeline().fireChannelReadComplete();
      }
      signalInputShutdownIfDrained();
    } finally {
      inReadLoop = false;
    }
  }

  /**
   * Window goes back once a quarter of it was consumed. go-yamux waits for half: fewer updates, but across
   * distance a sender whose window limits it then idles for the time the reader takes to consume that
   * half, so the stream moves W / (RTT + W / 2C) at consumption rate C instead of W / RTT (16 MiB across
   * 105 ms: 67 MB/s where a window four times as large gave 105, bench/pin-distance.sh). A quarter halves
   * that idle for one 12-byte frame per quarter window.
   */
  private void returnConsumedWindow() {
    if (open && !remoteFin && consumedBytes >= receiveWindow / 4) {
      session.windowUpdateDue(this);
    }
  }

  /** The window update for what was consumed, grown when the window limits the transfer. */
  YamuxFrame windowUpdateFrame() {
    long now = session.nanoTime();
    long growth = 0;
    long rtt = session.rttNanos();
    if (rtt > 0 && now - windowEpochNanos < 4 * rtt && receiveWindow < session.settings().maxReceiveWindow()) {
      long grown = Math.min(receiveWindow * 2, session.settings().maxReceiveWindow());
      if (session.reserveReceiveWindow(grown - receiveWindow)) {
        growth = grown - receiveWindow;
        receiveWindow = grown;
      }
    }
    windowEpochNanos = now;
    long credit = consumedBytes + growth;
    consumedBytes = 0;
    receiveCredit += credit;
    return YamuxFrame.windowUpdate(openingFlags(), id, credit);
  }

  private void signalInputShutdownIfDrained() {
    if (remoteFin && !remoteFinSignalled && open && unread.isEmpty()) {
      remoteFinSignalled = true;
      pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
      closeIfBothFinished();
    }
  }

  private void closeIfBothFinished() {
    if (open && finSent && remoteFinSignalled) {
      ending = Ending.BOTH_FINISHED;
      unsafe().close(unsafe().voidPromise());
    }
  }

  // ---- ending --------------------------------------------------------------------------------

  @Override
  public void reset() {
    if (eventLoop().inEventLoop()) {
      reset0();
    } else {
      eventLoop().execute(this::reset0);
    }
  }

  private void reset0() {
    if (open) {
      ending = Ending.RESET;
      unsafe().close(unsafe().voidPromise());
    } else if (session.removeStream(this)) {
      session.writeReset(id); // closed but still waiting for the peer: end it now
    }
  }

  /** A peer that neither finishes nor resets a stream we closed gets RST after streamCloseTimeout. */
  private void lingeredTooLong() {
    if (session.removeStream(this)) {
      session.writeReset(id);
    }
  }

  /** The session dropped this stream. */
  void forgotten() {
    if (lingerDeadline != null) {
      lingerDeadline.cancel(false);
    }
  }

  /** The session is over (connection closed or go-away): nothing more goes on the wire. */
  void sessionEnded() {
    forgotten();
    if (open) {
      ending = Ending.SESSION_ENDED;
      unsafe().close(unsafe().voidPromise());
    }
  }

  @Override
  protected void doClose() {
    open = false;
    boolean droppedUnread = !unread.isEmpty();
    releaseUnread();
    switch (ending) {
      case APPLICATION -> {
        if (!remoteFin && droppedUnread) {
          // The peer wrote what nobody will read; waiting for its FIN could wait forever.
          session.writeReset(id);
          session.removeStream(this);
        } else {
          sendFin();
          if (remoteFin) {
            session.removeStream(this);
          } else if (session.knows(this)) {
            lingerDeadline = parent().eventLoop().schedule(this::lingeredTooLong,
                session.settings().streamCloseTimeoutMillis(), MILLISECONDS);
          }
        }
      }
      case RESET -> {
        session.writeReset(id);
        session.removeStream(this);
      }
      case PEER_RESET, BOTH_FINISHED, SESSION_ENDED -> session.removeStream(this);
    }
    if (finPromise != null && !finSent) {
      finPromise.tryFailure(new ClosedChannelException());
    }
  }

  private void releaseUnread() {
    ByteBuf data;
    while ((data = unread.poll()) != null) {
      data.release();
    }
  }

  private final class StreamUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      promise.setFailure(new UnsupportedOperationException("a yamux stream is opened by its session"));
    }

    void resumeWrites() {
      flush0();
    }
  }

  /** Turning autoRead off cancels a read asked for but not yet served, as a socket does. */
  private final class StreamConfig extends DefaultChannelConfig {
    StreamConfig(Channel channel) {
      super(channel);
    }

    @Override
    protected void autoReadCleared() {
      readPending = false;
    }
  }
}
