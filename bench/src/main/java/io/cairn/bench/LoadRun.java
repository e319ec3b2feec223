package io.cairn.bench;

import io.cairn.multiformats.Cid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state one fetch run shares between its peers: the CID set, when each want was sent and answered,
 * which CID goes next, and the counters. Each want is resolved exactly once (the peer's pending map
 * decides who resolves it), as a block or as a failure.
 */
final class LoadRun {
  static final byte PENDING = 0;
  static final byte RECEIVED = 1;
  static final byte FAILED = 2;

  final List<Cid> cids;
  final int blockSize;
  /** Wants in flight across all peers when flat out; 0 in rate mode (the schedule decides). */
  final int concurrency;
  final long wantTimeoutNanos;
  /** Wants are want-haves, answered by a HAVE; else want-blocks, answered by the block. */
  final boolean wantHave;
  /** A DONT_HAVE is the node shedding the want under overload (counted as shed), not an error. */
  final boolean dontHaveIsShed;
  private final Map<Cid, Integer> indexOf;
  /** When want i was sent (rate mode: when it was due), {@link System#nanoTime()}. */
  final long[] sent;
  /** When want i was answered or given up. */
  final long[] ended;
  final byte[] state;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger resolved = new AtomicInteger();
  private final CountDownLatch done = new CountDownLatch(1);
  /** Set once the run is measured: what happens while the hosts close is not the server's doing. */
  volatile boolean closing;

  final LongAdder received = new LongAdder();
  final LongAdder receivedBytes = new LongAdder();
  final LongAdder dontHave = new LongAdder();
  /** DONT_HAVEs that are the node shedding load ({@link #dontHaveIsShed}). */
  final LongAdder shed = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder hashMismatches = new LongAdder();
  final LongAdder unexpectedBlocks = new LongAdder();
  final LongAdder disconnects = new LongAdder();
  final LongAdder notRequested = new LongAdder();
  final LongAdder malformedMessages = new LongAdder();
  final LongAdder sendFailures = new LongAdder();
  final LongAdder haves = new LongAdder();
  final LongAdder messagesSent = new LongAdder();
  final LongAdder messagesReceived = new LongAdder();
  final LongAdder streamReopens = new LongAdder();

  LoadRun(List<Cid> cids, int blockSize, int concurrency, long wantTimeoutNanos, boolean wantHave,
      boolean dontHaveIsShed) {
    this.cids = List.copyOf(cids);
    this.blockSize = blockSize;
    this.concurrency = concurrency;
    this.wantTimeoutNanos = wantTimeoutNanos;
    this.wantHave = wantHave;
    this.dontHaveIsShed = dontHaveIsShed;
    this.indexOf = new HashMap<>(cids.size() * 2);
    for (int i = 0; i < cids.size(); i++) {
      indexOf.put(cids.get(i), i);
    }
    this.sent = new long[cids.size()];
    this.ended = new long[cids.size()];
    this.state = new byte[cids.size()];
  }

  int count() {
    return cids.size();
  }

  boolean flatOut() {
    return concurrency > 0;
  }

  /** @return whether {@code cid} is one of the set (a block outside it hashed to something never asked for) */
  boolean inSet(Cid cid) {
    return indexOf.containsKey(cid);
  }

  /** @return the next want to send, or -1 once every CID has been handed out */
  int takeNext() {
    int i = next.getAndIncrement();
    return i < cids.size() ? i : -1;
  }

  /** @return how many wants have been handed out */
  int handedOut() {
    return Math.min(next.get(), cids.size());
  }

  /**
   * Counts the answer (the block, or the HAVE of a want-have), then resolves the want: whoever waits for the
   * run sees the count once it is woken.
   */
  void received(int i, long nanos) {
    received.increment();
    receivedBytes.add(wantHave ? 0 : blockSize);
    resolve(i, nanos, RECEIVED);
  }

  /** Resolves a want as failed; the caller has counted why, first. */
  void failed(int i, long nanos) {
    resolve(i, nanos, FAILED);
  }

  private void resolve(int i, long nanos, byte outcome) {
    ended[i] = nanos;
    state[i] = outcome;
    if (resolved.incrementAndGet() == cids.size()) {
      done.countDown();
    }
  }

  /** No peer is left to send the rest: each want not handed out yet fails as not requested. */
  void abandonRest() {
    int from = next.getAndSet(cids.size());
    long now = System.nanoTime();
    for (int i = from; i < cids.size(); i++) {
      sent[i] = now;
      notRequested.increment();
      failed(i, now);
    }
  }

  /** @return whether every want was resolved within the time */
  boolean await(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  long errors() {
    return dontHave.sum() + timeouts.sum() + hashMismatches.sum() + unexpectedBlocks.sum() + disconnects.sum()
        + notRequested.sum() + malformedMessages.sum() + sendFailures.sum();
  }
}
