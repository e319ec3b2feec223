package io.cairn.bitswap.network.internal;

import io.cairn.bitswap.message.BitswapCodec;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQualities;
import io.cairn.node.breaker.CircuitBreakers;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Messages to one peer, in order, on one outbound stream. Callers on any thread enqueue; one drain
 * task on the stream's event loop writes everything queued and flushes once, so a burst of small
 * messages costs one yamux/Noise flush instead of one each. A write that is not done within its
 * send timeout resets the stream (the peer is not reading); the next message opens a new one.
 *
 * <p><b>Circuit breaker</b> (boxo#1142): each message is written only if the peer's breaker
 * ({@link CircuitBreakers}) lets it; what is written, and what times out, is told to it. A peer whose messages
 * keep timing out is <em>paused</em> (its breaker open): the messages queued then fail at once, so the
 * engine gets their bytes back; new ones are held, not attempted, up to {@code maxHeldBytes} (beyond
 * that a send fails at once); no stream is opened to it. After the breaker's wait the first held message
 * goes as a probe: written, and the peer resumes with the rest; timed out, and the peer is paused again
 * and what was held fails. So nothing, caller or thread, ever waits on a peer that does not read longer
 * than the send timeout plus the pause. The breaker a message was let through by is the one told how
 * it went, whatever strategy is in use by then.
 */
final class PeerSender {
  private final PeerId peer;
  /** Opens a new outbound bitswap stream to the peer; the stream's pipeline is set up by the opener. */
  private final Function<PeerId, CompletableFuture<StreamChannel>> opener;
  /** Send timeout in nanoseconds for a message of the given encoded size. */
  private final LongUnaryOperator timeoutNanos;
  /** Connection quality, told how each message went; null without the network layer. */
  private final Supplier<ConnectionQualities> qualities;
  /** The peer's breaker under the guard strategy in use now. */
  private final Supplier<CircuitBreakers.Breaker> breaker;
  /** Bytes a paused peer's queue may hold; a send beyond that fails at once. */
  private final LongSupplier maxHeldBytes;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  /** Encoded bytes of the messages in {@link #queue}. */
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  /** A wake-up is scheduled for when a paused peer may be probed. */
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  /** Written but not yet done, oldest first; event-loop confined. Writes complete in order, so only the head can be late. */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private volatile StreamChannel stream;
  private volatile BitswapProtocol protocol;
  private CompletableFuture<StreamChannel> opening;
  private boolean timeoutCheckScheduled;
  private volatile boolean closed;
  /** The last stream this sender reset because the peer stopped reading (its failed writes are not retried). */
  private StreamChannel timedOut;

  /** A message to send; {@code retried} once it has failed on one stream already. */
  private record Pending(BitswapMessage message, int size, CompletableFuture<Void> done, boolean retried) {}

  private record InFlight(ChannelPromise promise, long deadline) {}

  PeerSender(PeerId peer, Function<PeerId, CompletableFuture<StreamChannel>> opener, LongUnaryOperator timeoutNanos,
      Supplier<CircuitBreakers.Breaker> breaker, LongSupplier maxHeldBytes, Supplier<ConnectionQualities> qualities) {
    this.peer = peer;
    this.opener = opener;
    this.timeoutNanos = timeoutNanos;
    this.breaker = breaker;
    this.maxHeldBytes = maxHeldBytes;
    this.qualities = qualities;
  }

  /** Tells the peer's connection quality how a message went, when the network layer runs: {@code failure} null for written. */
  private void outcome(ConnectionQualities.Failure failure) {
    ConnectionQualities q = qualities.get();
    if (q == null) {
      return;
    }
    if (failure == null) {
      q.succeeded(peer);
    } else {
      q.failed(peer, failure);
    }
  }

  /** Takes a stream opened for this peer (the first one, opened when the peer connected). */
  void attach(StreamChannel opened, BitswapProtocol negotiated) {
    protocol = negotiated;
    stream = opened;
    scheduleDrain();
  }

  /** The stream messages go out on now, if one is open. */
  StreamChannel currentStream() {
    return stream;
  }

  CompletableFuture<Void> send(BitswapMessage message) {
    if (closed) {
      return CompletableFuture.failedFuture(new PeerUnavailableException(peer, "disconnected"));
    }
    BitswapProtocol p = protocol;
    int size = BitswapCodec.encodedSize(message, p == null ? BitswapProtocol.V1_2_0 : p);
    if (paused()) {
      long held = queuedBytes.get();
      if (held + size > maxHeldBytes.getAsLong()) {
        return CompletableFuture.failedFuture(new PeerUnavailableException(peer,
            "paused: its messages keep timing out, and " + held + " bytes are held for it already"));
      }
    }
    Pending pending = new Pending(message, size, new CompletableFuture<>(), false);
    enqueue(pending);
    scheduleDrain();
    if (closed) {
      failQueued("disconnected");
    }
    return pending.done;
  }

  private void enqueue(Pending p) {
    queuedBytes.addAndGet(p.size);
    queue.add(p);
  }

  private Pending poll() {
    Pending p = queue.poll();
    if (p != null) {
      queuedBytes.addAndGet(-p.size);
    }
    return p;
  }

  /** Whether the peer is paused now (its breaker open, the wait perhaps over but no probe let through yet). */
  private boolean paused() {
    return breaker.get().state() == CircuitBreakers.State.OPEN;
  }

  private void scheduleDrain() {
    StreamChannel s = stream;
    if (queue.isEmpty()) {
      return;
    }
    if (s != null) {
      if (drainScheduled.compareAndSet(false, true)) {
        s.eventLoop().execute(this::drain);
      }
    } else {
      reopenUnlessPaused();
    }
  }

  /** No stream: opens one, unless the peer is paused and may not be probed yet (then waits for that). */
  private void reopenUnlessPaused() {
    CircuitBreakers.Breaker b = breaker.get();
    if (b.state() == CircuitBreakers.State.OPEN) {
      // Asking is what moves a breaker whose wait is over to half-open; the probe's permit is taken
      // again by the drain once the stream is open.
      if (!b.tryAcquire()) {
        wakeLater(b);
        return;
      }
      b.released();
    }
    reopen();
  }

  /** Drains again when the paused peer may be probed. */
  private void wakeLater(CircuitBreakers.Breaker b) {
    if (closed || !wakeScheduled.compareAndSet(false, true)) {
      return;
    }
    long delay = Math.max(TimeUnit.MILLISECONDS.toNanos(1), b.retryAfterNanos());
    CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS).execute(() -> {
      wakeScheduled.set(false);
      scheduleDrain();
    });
  }

  /** The peer was paused: what waits in the queue fails now, so its bytes go back to the engine. */
  void pausedNow() {
    failQueued("paused: its messages keep timing out");
  }

  private void drain() {
    drainScheduled.set(false);
    StreamChannel s = stream;
    if (s == null || !s.isActive()) {
      reopenUnlessPaused();
      return;
    }
    CircuitBreakers.Breaker b = breaker.get();
    boolean wrote = false;
    while (!queue.isEmpty()) {
      if (!b.tryAcquire()) {
        // Paused: held until a probe may go. Half-open: the probe in flight drains again when it is done.
        if (b.state() == CircuitBreakers.State.OPEN) {
          wakeLater(b);
        }
        break;
      }
      Pending p = poll();
      if (p == null) {
        b.released();
        break;
      }
      ChannelPromise promise = s.newPromise();
      Pending sent = p;
      long handedAt = System.nanoTime();
      promise.addListener(f -> {
        long nanos = System.nanoTime() - handedAt;
        if (f.isSuccess()) {
          b.succeeded(nanos);
          outcome(null);
          sent.done.complete(null);
          // A probe went through: what was held behind it goes now.
          scheduleDrain();
        } else if (s == timedOut) {
          b.failed(nanos, new TimeoutException("not written within the send timeout"));
          outcome(ConnectionQualities.Failure.TIMEOUT);
          sent.done.completeExceptionally(new PeerUnavailableException(peer, "send timed out: the peer does not read"));
        } else if (!sent.retried && !closed) {
          b.released();
          // The peer closed or reset the stream under us (Helia resets streams it has not heard on
          // for 10 s): the message goes once more, on a new stream.
          enqueue(new Pending(sent.message, sent.size, sent.done, true));
          scheduleDrain();
        } else {
          b.released();
          outcome(ConnectionQualities.Failure.RESET);
          sent.done.completeExceptionally(new PeerUnavailableException(peer, "send failed: " + f.cause()));
        }
      });
      // The encoder owns the buffer it allocates; the stream releases it once written.
      s.write(p.message, promise);
      if (!promise.isDone()) {
        inFlight.add(new InFlight(promise, System.nanoTime() + timeoutNanos.applyAsLong(p.size)));
      }
      wrote = true;
    }
    if (wrote) {
      s.flush();
      inFlight.removeIf(f -> f.promise.isDone());
      if (!inFlight.isEmpty() && !timeoutCheckScheduled) {
        scheduleTimeoutCheck(s);
      }
    }
  }

  private void scheduleTimeoutCheck(StreamChannel s) {
    timeoutCheckScheduled = true;
    long delay = Math.max(0, inFlight.peek().deadline - System.nanoTime());
    s.eventLoop().schedule(() -> checkTimeouts(s), delay, TimeUnit.NANOSECONDS);
  }

  private void checkTimeouts(StreamChannel s) {
    timeoutCheckScheduled = false;
    while (!inFlight.isEmpty() && inFlight.peek().promise.isDone()) {
      inFlight.poll();
    }
    if (inFlight.isEmpty()) {
      return;
    }
    if (inFlight.peek().deadline - System.nanoTime() <= 0) {
      // The peer stopped reading: drop the stream and what waits on it rather than buffer for it.
      inFlight.clear();
      timedOut = s;
      s.reset();
      if (stream == s) {
        stream = null;
      }
      scheduleDrain();
    } else {
      scheduleTimeoutCheck(s);
    }
  }

  /** Opens a new stream when messages wait and none is usable; queued messages go once it is open. */
  private synchronized void reopen() {
    if (closed || opening != null) {
      return;
    }
    opening = opener.apply(peer);
    opening.whenComplete((s, error) -> {
      synchronized (this) {
        opening = null;
      }
      if (error != null) {
        failQueued("cannot open a bitswap stream: " + error.getMessage());
      } else {
        stream = s;
        scheduleDrain();
      }
    });
  }

  private void failQueued(String reason) {
    Pending p;
    while ((p = poll()) != null) {
      p.done.completeExceptionally(new PeerUnavailableException(peer, reason));
    }
  }

  /** The peer left: fail what is queued and close the stream. */
  void close() {
    closed = true;
    failQueued("disconnected");
    StreamChannel s = stream;
    if (s != null) {
      s.close();
    }
  }
}
