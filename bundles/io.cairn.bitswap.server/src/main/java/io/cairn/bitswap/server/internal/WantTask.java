package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.multiformats.Cid;
import java.util.Comparator;

/** One want of one peer and where it stands; guarded by its ledger's lock. */
final class WantTask {
  /**
   * Within one class of one peer: the strategy's order (boxo's is {@code -priority}, so highest priority
   * first), then the oldest first.
   */
  static final Comparator<WantTask> ORDER = Comparator.<WantTask>comparingLong(t -> t.order).thenComparingLong(t -> t.seq);
  /** Longest queued first: where promotion looks. */
  static final Comparator<WantTask> QUEUED_LONGEST =
      Comparator.<WantTask>comparingLong(t -> t.queuedAt).thenComparingLong(t -> t.seq);

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
  /** The class the priority manager put it in (or promoted it to). */
  WantClass wantClass = WantClass.NORMAL;
  /** The priority manager's order within the class. */
  long order;
  /** When it joined its class's queue (nanos): promotion measures from here. */
  long queuedAt;
  /** When the want (or its latest repetition) arrived (nanos): its answer's latency measures from here. */
  long arrivedAt;

  WantTask(Cid cid, int priority, WantType type, boolean sendDontHave, long seq) {
    this.cid = cid;
    this.priority = priority;
    this.type = type;
    this.sendDontHave = sendDontHave;
    this.seq = seq;
    this.order = -(long) priority;
  }

  Want toWant() {
    return new Want(cid, priority, type, sendDontHave);
  }
}
