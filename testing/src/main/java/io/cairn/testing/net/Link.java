package io.cairn.testing.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One direction of one proxied connection: the bytes read from {@code source} on their way to
 * {@code destination}, shaped as its {@link Direction} says (the model is in that class's comment).
 * Confined to the connection's event loop; every method is called there.
 *
 * <p>Ownership: {@link #offer} takes the buffer it is given. The link releases what it drops (a silent
 * blackhole, {@link #discard}) and hands the rest to {@code destination.write}, which releases it.
 * Slices cut for the rate cap or a reset are retained slices, each released on its own.
 */
final class Link {
  /** A buffer on the wire, due at the receiver at {@code dueNanos}. */
  private record InFlight(ByteBuf bytes, long dueNanos) {}

  private final Direction direction;
  private final ProxyConnection connection;
  private final SocketChannel source;
  private final SocketChannel destination;
  /** The proxy's count of the bytes its links hold, all connections together. */
  private final LongAdder held;
  private final ChannelFutureListener closeOnFailure;

  /** Read from the source, waiting for the rate cap's tokens. */
  private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
  /** Past the rate cap, spending the delay; due times never decrease along the queue except by a runtime change. */
  private final ArrayDeque<InFlight> wire = new ArrayDeque<>();
  private long waitingBytes;
  private long wireBytes;
  /** Bytes handed to the destination so far. */
  private long forwarded;
  private long resetAt;
  private long resetGeneration;
  private double tokens;
  /** Bytes were left waiting for tokens at the last serialization: the link has been busy since {@link #refilledAt}. */
  private boolean backlogged;
  private long refilledAt;
  /** The rate the tokens were counted at: -1 before the first cap, so that a new cap starts with a full bucket. */
  private long tokenRate = -1;
  private boolean sourceEnded;
  private boolean destinationShut;
  private boolean resetting;
  private boolean discarded;
  private ChannelFuture lastWrite;
  private ScheduledFuture<?> wakeup;
  private long wakeupAt;

  Link(Direction direction, ProxyConnection connection, SocketChannel source, SocketChannel destination, LongAdder held) {
    this.direction = direction;
    this.connection = connection;
    this.source = source;
    this.destination = destination;
    this.held = held;
    this.closeOnFailure = f -> {
      if (!f.isSuccess()) {
        connection.close();
      }
    };
    Direction.Settings s = direction.settings();
    resetGeneration = s.resetGeneration();
    resetAt = s.resetAfter() < 0 ? Long.MAX_VALUE : s.resetAfter();
  }

  /** Takes {@code bytes} (read from the source) into the link. */
  void offer(ByteBuf bytes) {
    int n = bytes.readableBytes();
    if (discarded || resetting || n == 0 || direction.settings().blackhole() == Blackhole.SILENT) {
      bytes.release();
      return;
    }
    waiting.add(bytes);
    waitingBytes += n;
    held.add(n);
    pump();
  }

  /** The source has shut down its output (FIN): once the link is empty, the destination's output is shut down too. */
  void sourceEnded() {
    sourceEnded = true;
    pump();
  }

  /**
   * Moves what the settings allow now, sets whether the source is read, and schedules the next move.
   * Called on every read, on a settings change, when the destination becomes writable and by its own timer.
   */
  void pump() {
    if (discarded || resetting) {
      return;
    }
    Direction.Settings s = direction.settings();
    long now = System.nanoTime();
    if (s.resetGeneration() != resetGeneration) {
      resetGeneration = s.resetGeneration();
      resetAt = s.resetAfter() < 0 ? Long.MAX_VALUE : forwarded + s.resetAfter();
    }
    if (forwarded >= resetAt) {
      resetting = true;
      connection.reset();
      return;
    }
    if (s.blackhole() == Blackhole.SILENT) {
      drop();
    }
    boolean stalled = s.stalled() && now - s.stallUntilNanos() < 0;
    if (s.blackhole() != Blackhole.OFF || stalled) {
      // A held link serializes nothing: no tokens are owed for the time it is held.
      tokens = Math.min(tokens, s.bucketDepth());
      refilledAt = now;
      backlogged = false;
    } else {
      serialize(s, now);
      deliver(now);
      if (resetting || discarded) {
        return;
      }
      shutDestinationIfDrained();
    }
    boolean read = !sourceEnded && s.blackhole() != Blackhole.STUCK
        && (s.blackhole() == Blackhole.SILENT || waitingBytes + wireBytes < s.limit());
    if (source.config().isAutoRead() != read) {
      source.config().setAutoRead(read);
    }
    scheduleWakeup(s, now, stalled);
  }

  /** Releases everything the link holds; it takes nothing more. */
  void discard() {
    discarded = true;
    if (wakeup != null) {
      wakeup.cancel(false);
      wakeup = null;
    }
    drop();
  }

  /** Waiting bytes onto the wire, as far as the rate cap's tokens go. */
  private void serialize(Direction.Settings s, long now) {
    if (s.rate() == 0) {
      tokenRate = 0;
    } else {
      long depth = s.bucketDepth();
      if (tokenRate != s.rate()) {
        tokens = tokenRate <= 0 ? depth : Math.min(tokens, depth);
        tokenRate = s.rate();
      } else {
        // While bytes waited, the link was busy all along: a timer tick that came late owes it every token
        // of the time since (it sent them all at the rate), so lateness costs no throughput. An idle link's
        // tokens stop at the bucket's depth. Either way what passes in t is at most rate x t + depth.
        tokens += (now - refilledAt) * (double) s.rate() / 1e9;
        if (!backlogged) {
          tokens = Math.min(tokens, depth);
        }
      }
      refilledAt = now;
    }
    while (!waiting.isEmpty()) {
      ByteBuf head = waiting.peek();
      int n = head.readableBytes();
      if (s.rate() > 0) {
        n = (int) Math.min(n, (long) tokens);
        if (n == 0) {
          backlogged = true;
          return;
        }
        tokens -= n;
      }
      ByteBuf part = n == head.readableBytes() ? waiting.poll() : head.readRetainedSlice(n);
      waitingBytes -= n;
      wire.add(new InFlight(part, now + s.delayNanos()));
      wireBytes += n;
    }
    backlogged = false;
    tokens = Math.min(tokens, s.bucketDepth()); // idle from here: what it did not spend is not owed
  }

  /** Due bytes to the destination while it is writable, up to an armed reset. */
  private void deliver(long now) {
    boolean unflushed = false;
    while (!wire.isEmpty() && destination.isWritable()) {
      InFlight head = wire.peek();
      if (head.dueNanos() - now > 0) {
        break;
      }
      wire.poll();
      ByteBuf bytes = head.bytes();
      int n = bytes.readableBytes();
      wireBytes -= n;
      held.add(-n);
      long room = resetAt - forwarded;
      if (n >= room) {
        // The reset falls in this buffer: deliver up to it, then reset once the kernel has taken those bytes.
        resetting = true;
        ByteBuf last = bytes.readRetainedSlice((int) room);
        bytes.release();
        forwarded += room;
        destination.writeAndFlush(last).addListener(f -> connection.reset());
        return;
      }
      forwarded += n;
      lastWrite = destination.write(bytes).addListener(closeOnFailure);
      unflushed = true;
    }
    if (unflushed) {
      destination.flush();
    }
  }

  private void shutDestinationIfDrained() {
    if (!sourceEnded || destinationShut || !waiting.isEmpty() || !wire.isEmpty()) {
      return;
    }
    destinationShut = true;
    // After the last write completes: shutdownOutput fails the writes still queued in the channel.
    Runnable shut = () -> destination.shutdownOutput().addListener(f -> connection.outputShut());
    if (lastWrite == null || lastWrite.isDone()) {
      shut.run();
    } else {
      lastWrite.addListener(f -> shut.run());
    }
  }

  private void scheduleWakeup(Direction.Settings s, long now, boolean stalled) {
    if (s.blackhole() != Blackhole.OFF) {
      return; // lifting the blackhole is a settings change, which pumps
    }
    long due;
    if (stalled) {
      due = s.stallUntilNanos();
    } else {
      boolean any = false;
      due = 0;
      if (!wire.isEmpty() && destination.isWritable()) {
        due = wire.peek().dueNanos();
        any = true;
      }
      if (!waiting.isEmpty() && s.rate() > 0) {
        // Wait for a useful amount of tokens (a quarter of the bucket, or all the head needs), not for one byte.
        double need = Math.min(waiting.peek().readableBytes(), Math.max(1, s.bucketDepth() / 4)) - tokens;
        long tokenDue = now + (long) Math.ceil(Math.max(0, need) * 1e9 / s.rate());
        due = any && due - tokenDue < 0 ? due : tokenDue;
        any = true;
      }
      if (!any) {
        return; // a read or the destination's writability pumps again
      }
    }
    if (wakeup != null && !wakeup.isDone()) {
      if (wakeupAt - due <= 0) {
        return; // an earlier wake-up is already set; it schedules the next one
      }
      wakeup.cancel(false);
    }
    wakeupAt = due;
    wakeup = source.eventLoop().schedule(this::wake, Math.max(0, due - now), TimeUnit.NANOSECONDS);
  }

  private void wake() {
    wakeup = null;
    pump();
  }

  private void drop() {
    for (ByteBuf b; (b = waiting.poll()) != null; ) {
      b.release();
    }
    for (InFlight f; (f = wire.poll()) != null; ) {
      f.bytes().release();
    }
    held.add(-(waitingBytes + wireBytes));
    waitingBytes = 0;
    wireBytes = 0;
  }
}
