package io.cairn.bitswap.network.internal;

import io.cairn.bitswap.message.BitswapCodec;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.multiformats.PeerId;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * Messages to one peer, in order, on one outbound stream. Callers on any thread enqueue; one drain
 * task on the stream's event loop writes everything queued and flushes once, so a burst of small
 * messages costs one yamux/Noise flush instead of one each. A write that is not done within its
 * send timeout resets the stream (the peer is not reading); the next message opens a new one.
 */
final class PeerSender {
  private final PeerId peer;
  /** Opens a new outbound bitswap stream to the peer; the stream's pipeline is set up by the opener. */
  private final Function<PeerId, CompletableFuture<StreamChannel>> opener;
  /** Send timeout in nanoseconds for a message of the given encoded size. */
  private final LongUnaryOperator timeoutNanos;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
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

  PeerSender(PeerId peer, Function<PeerId, CompletableFuture<StreamChannel>> opener, LongUnaryOperator timeoutNanos) {
    this.peer = peer;
    this.opener = opener;
    this.timeoutNanos = timeoutNanos;
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
    Pending pending = new Pending(message, size, new CompletableFuture<>(), false);
    queue.add(pending);
    scheduleDrain();
    if (closed) {
      failQueued("disconnected");
    }
    return pending.done;
  }

  private void scheduleDrain() {
    StreamChannel s = stream;
    if (s != null && !queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
      s.eventLoop().execute(this::drain);
    } else if (s == null && !queue.isEmpty()) {
      reopen();
    }
  }

  private void drain() {
    drainScheduled.set(false);
    StreamChannel s = stream;
    if (s == null || !s.isActive()) {
      reopen();
      return;
    }
    Pending p;
    boolean wrote = false;
    while ((p = queue.poll()) != null) {
      ChannelPromise promise = s.newPromise();
      Pending sent = p;
      promise.addListener(f -> {
        if (f.isSuccess()) {
          sent.done.complete(null);
        } else if (!sent.retried && !closed && s != timedOut) {
          // The peer closed or reset the stream under us (Helia resets streams it has not heard on
          // for 10 s): the message goes once more, on a new stream.
          queue.add(new Pending(sent.message, sent.size, sent.done, true));
          scheduleDrain();
        } else {
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
    while ((p = queue.poll()) != null) {
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
