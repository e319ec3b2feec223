package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.WantType;
import io.cairn.multiformats.Cid;
import java.util.Comparator;

/** One want of one peer and where it stands; guarded by its ledger's lock. */
final class WantTask {
  /** Highest priority first; among equals, the oldest first. */
  static final Comparator<WantTask> ORDER = Comparator.<WantTask>comparingInt(t -> -t.priority).thenComparingLong(t -> t.seq);

  enum State {
    /** Waiting for a worker. */
    QUEUED,
    /** A worker is looking it up. */
    IN_PROGRESS,
    /** Looked up and not found: kept until the block arrives, the peer cancels, or it is evicted. */
    WAITING
  }

  final Cid cid;
  int priority;
  WantType type;
  boolean sendDontHave;
  /** Order of arrival, for fairness among equal priorities; renewed when the peer repeats the want. */
  long seq;
  State state = State.QUEUED;
  /** The peer repeated the want while a worker had it: queue it again when the worker is done. */
  boolean requeue;

  WantTask(Cid cid, int priority, WantType type, boolean sendDontHave, long seq) {
    this.cid = cid;
    this.priority = priority;
    this.type = type;
    this.sendDontHave = sendDontHave;
    this.seq = seq;
  }

  Want toWant() {
    return new Want(cid, priority, type, sendDontHave);
  }
}
