package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.LedgerEntry;
import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.bitswap.spi.WantPriorityOrder;
import io.cairn.bitswap.spi.WantRequest;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.PeerId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One peer's wantlist and what was exchanged with it. The wantlist is capped; each want is queued
 * for a worker (in the class the {@link PriorityRequestManager} gave it), in a worker's hands, or
 * waiting for a block we lack. A queued want that waited past its class's target is promoted when a
 * worker next looks at the peer. All state is guarded by one lock per peer, held only for bookkeeping
 * (never across a lookup or a send).
 */
final class PeerLedger {
  final PeerId peer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Cid, WantTask> wants = new HashMap<>();
  /** Queued wants per class, best first; and the same wants longest-queued first, for promotion. */
  private final EnumMap<WantClass, TreeSet<WantTask>> queued = new EnumMap<>(WantClass.class);
  private final EnumMap<WantClass, TreeSet<WantTask>> queuedSince = new EnumMap<>(WantClass.class);
  /**
   * The queued lowest-class wants that cannot be shed (their peer did not ask for DONT_HAVE), longest
   * queued first: only these are promoted. One that can be shed is served in its class or, when the
   * engine is over capacity, shed; promoting it would hide the backlog the engine judges overload by and
   * fill the better classes with it.
   */
  private final TreeSet<WantTask> unsheddableSince = new TreeSet<>(WantTask.QUEUED_LONGEST);
  private final TreeSet<WantTask> waiting = new TreeSet<>(WantTask.ORDER);
  /** Told when a want starts or stops waiting for a block (the engine's index of who waits for what). */
  private final WaitingIndex index;
  private final PriorityRequestManager priority;
  private final LongSupplier clock;
  private final long connectedAt;
  private int queuedCount;
  /** Queued NORMAL wants whose peer asked for DONT_HAVE: what the engine can shed now. */
  private int sheddable;
  /** Turns in which a worker took wants of this peer, and when the last one ended. */
  private long turns;
  private long lastTurnEnd;
  private long seq;
  private long outstandingBytes;
  /** In the engine's ready queue or in a worker's hands. */
  private boolean scheduled;
  private boolean closed;
  private long bytesSent;
  private long blocksSent;
  private long bytesReceived;
  private long blocksReceived;
  private long messagesReceived;
  /**
   * When the limits are next told the peer's round trip (engine clock): the connection measures it at most
   * once a keep-alive, so once a second is plenty, not at every send completion. Set by completions only.
   */
  private volatile long roundTripDueAt;

  /**
   * Where the engine keeps which peers wait for which CIDs, so an arriving block finds them; and its
   * counts of queued wants per class and of promotions.
   */
  interface WaitingIndex {
    void waiting(Cid cid, PeerLedger ledger);

    void notWaiting(Cid cid, PeerLedger ledger);

    /** {@code delta} wants joined (or left, if negative) the queue of {@code wantClass}. */
    default void queued(WantClass wantClass, int delta) {}

    default void promoted(WantClass from, WantClass to) {}

    /** The peer's queue went from empty to not ({@code busy}) or back; under the ledger's lock, so cheap. */
    default void busy(PeerLedger ledger, boolean busy) {}
  }

  /** What a worker's turn took: the wants to look up, and the lowest-class wants shed (to answer DONT_HAVE). */
  record Turn(List<WantTask> tasks, List<WantTask> shed) {}

  /** How {@link #trySchedule} went. */
  enum Schedule {
    /** The caller must put the ledger on the ready queue. */
    READY,
    /** Nothing to do now: nothing queued, already scheduled, or at its byte limit (a send completion reschedules it). */
    NONE,
    /** Only deferred lowest-class wants queued while the engine sheds: wait until capacity frees. */
    DEFERRED
  }

  PeerLedger(PeerId peer, WaitingIndex index) {
    this(peer, index, WantPriorityOrder.INSTANCE, System::nanoTime);
  }

  PeerLedger(PeerId peer, WaitingIndex index, PriorityRequestManager priority, LongSupplier clock) {
    this.peer = peer;
    this.index = index;
    this.priority = priority;
    this.clock = clock;
    this.connectedAt = clock.getAsLong();
    this.roundTripDueAt = connectedAt;
    for (WantClass c : WantClass.values()) {
      queued.put(c, new TreeSet<>(WantTask.ORDER));
      queuedSince.put(c, new TreeSet<>(WantTask.QUEUED_LONGEST));
    }
  }

  private void enqueue(WantTask t, long now) {
    t.state = WantTask.State.QUEUED;
    t.queuedAt = now;
    queued.get(t.wantClass).add(t);
    queuedSince.get(t.wantClass).add(t);
    if (queuedCount++ == 0) {
      index.busy(this, true);
    }
    if (t.wantClass == WantClass.NORMAL) {
      if (t.sendDontHave) {
        sheddable++;
      } else {
        unsheddableSince.add(t);
      }
    }
    index.queued(t.wantClass, 1);
  }

  private void dequeue(WantTask t) {
    if (queued.get(t.wantClass).remove(t)) {
      queuedSince.get(t.wantClass).remove(t);
      if (--queuedCount == 0) {
        index.busy(this, false);
      }
      if (t.wantClass == WantClass.NORMAL) {
        if (t.sendDontHave) {
          sheddable--;
        } else {
          unsheddableSince.remove(t);
        }
      }
      index.queued(t.wantClass, -1);
    }
  }

  /** Gives a (new or repeated) want its class and order. */
  private void classify(WantTask t, long now) {
    WantRequest r = new WantRequest(peer, t.cid, t.type, t.priority, t.sendDontHave, false);
    t.wantClass = priority.classify(r);
    t.order = priority.order(r);
    t.arrivedAt = now;
  }

  /** Moves up a class each want that waited past what its class allows, longest-waiting first. */
  private void promoteDue(long now) {
    WantClass[] classes = WantClass.values();
    for (int i = classes.length - 1; i > 0; i--) {
      TreeSet<WantTask> since = classes[i] == WantClass.NORMAL ? unsheddableSince : queuedSince.get(classes[i]);
      while (!since.isEmpty()) {
        WantTask t = since.first();
        WantClass to = priority.promote(classes[i], now - t.queuedAt);
        if (to.ordinal() >= classes[i].ordinal()) {
          break;
        }
        dequeue(t);
        t.wantClass = to;
        enqueue(t, now);
        index.promoted(classes[i], to);
      }
    }
  }

  private WantClass bestQueued() {
    for (WantClass c : WantClass.values()) {
      if (!queued.get(c).isEmpty()) {
        return c;
      }
    }
    return null;
  }

  /**
   * Applies a message's wantlist. Identity CIDs are ignored (they carry their own data); a full
   * wantlist replaces what the peer wanted before. Returns how many wants were dropped for the cap.
   */
  int applyWants(List<WantlistEntry> entries, boolean full, int cap, long blocksIn, long bytesIn) {
    lock.lock();
    try {
      messagesReceived++;
      blocksReceived += blocksIn;
      bytesReceived += bytesIn;
      if (closed) {
        return 0;
      }
      if (full) {
        Set<Cid> keep = new HashSet<>();
        for (WantlistEntry e : entries) {
          if (!e.cancel()) {
            keep.add(e.cid());
          }
        }
        for (WantTask t : new ArrayList<>(wants.values())) {
          if (!keep.contains(t.cid)) {
            remove(t);
          }
        }
      }
      int dropped = 0;
      long now = clock.getAsLong();
      for (WantlistEntry e : entries) {
        if (e.cid().multihash().code() == Multicodec.IDENTITY.code()) {
          continue;
        }
        WantTask existing = wants.get(e.cid());
        if (e.cancel()) {
          if (existing != null) {
            remove(existing);
          }
        } else if (existing != null) {
          renew(existing, e, now);
        } else if (!add(e, cap, now)) {
          dropped++;
        }
      }
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  private void renew(WantTask t, WantlistEntry e, long now) {
    detach(t);
    t.priority = e.priority();
    // A want-have never downgrades a want-block still open for the same CID.
    if (e.type() == WantType.BLOCK) {
      t.type = WantType.BLOCK;
    }
    t.sendDontHave = e.sendDontHave();
    // Detached (or in a worker's hands, in no set): its class and order may change.
    classify(t, now);
    if (t.state == WantTask.State.IN_PROGRESS) {
      t.requeue = true;
    } else {
      t.seq = seq++;
      enqueue(t, now);
    }
  }

  /** Adds a new want within the cap: evicts a want we lack the block for, else a lower-priority one, else drops the new one. */
  private boolean add(WantlistEntry e, int cap, long now) {
    if (wants.size() >= cap) {
      WantTask lowest = lowestQueued();
      WantTask victim = !waiting.isEmpty() ? waiting.last()
          : lowest != null && lowest.priority < e.priority() ? lowest : null;
      if (victim == null) {
        return false;
      }
      remove(victim);
    }
    WantTask t = new WantTask(e.cid(), e.priority(), e.type(), e.sendDontHave(), seq++);
    classify(t, now);
    wants.put(t.cid, t);
    enqueue(t, now);
    return true;
  }

  /** The last queued want of the lowest class that has any. */
  private WantTask lowestQueued() {
    WantClass[] classes = WantClass.values();
    for (int i = classes.length - 1; i >= 0; i--) {
      TreeSet<WantTask> q = queued.get(classes[i]);
      if (!q.isEmpty()) {
        return q.last();
      }
    }
    return null;
  }

  /** Takes a want out of the queued or waiting set it is in (not out of the wantlist). */
  private void detach(WantTask t) {
    switch (t.state) {
      case QUEUED -> dequeue(t);
      case WAITING -> {
        waiting.remove(t);
        index.notWaiting(t.cid, this);
      }
      case IN_PROGRESS -> { }
    }
  }

  private void remove(WantTask t) {
    detach(t);
    wants.remove(t.cid);
  }

  /**
   * A worker's turn: up to {@code max} queued wants, best class first and in the strategy's order
   * within a class, or none while the peer has {@code maxOutstanding} bytes in flight. When
   * {@code shedLowest}, the lowest class is not served: those of its wants whose peer asked for
   * DONT_HAVE are shed before any is promoted (they leave the wantlist; the caller answers DONT_HAVE),
   * the others stay queued.
   */
  Turn take(int max, long maxOutstanding, boolean shedLowest) {
    lock.lock();
    try {
      List<WantTask> taken = new ArrayList<>(Math.min(max, queuedCount));
      List<WantTask> shed = new ArrayList<>();
      if (closed || outstandingBytes >= maxOutstanding) {
        return new Turn(taken, shed);
      }
      if (shedLowest) {
        // Before promotion: a want the engine has no room for is shed, not moved up past the others.
        shedLowest(max, shed);
      }
      promoteDue(clock.getAsLong());
      for (WantClass c : WantClass.values()) {
        if (shedLowest && c == WantClass.NORMAL) {
          break;
        }
        TreeSet<WantTask> q = queued.get(c);
        while (taken.size() < max && !q.isEmpty()) {
          WantTask t = q.first();
          dequeue(t);
          t.state = WantTask.State.IN_PROGRESS;
          taken.add(t);
        }
      }
      if (!taken.isEmpty()) {
        turns++;
      }
      return new Turn(taken, shed);
    } finally {
      lock.unlock();
    }
  }

  /**
   * While the engine sheds, as wants arrive: up to {@code max} queued lowest-class wants whose peer asked
   * for DONT_HAVE leave the wantlist (the caller answers DONT_HAVE), the others stay queued.
   */
  List<WantTask> shed(int max) {
    lock.lock();
    try {
      List<WantTask> shed = new ArrayList<>();
      if (!closed) {
        shedLowest(max, shed);
      }
      return shed;
    } finally {
      lock.unlock();
    }
  }

  private void shedLowest(int max, List<WantTask> shed) {
    if (sheddable == 0) {
      return;
    }
    for (WantTask t : List.copyOf(queued.get(WantClass.NORMAL))) {
      if (shed.size() >= max) {
        return;
      }
      if (t.sendDontHave) {
        remove(t);
        shed.add(t);
      }
    }
  }

  /** Whether the peer still wants what the worker took (it may have cancelled meanwhile). */
  boolean stillWanted(WantTask t) {
    lock.lock();
    try {
      return !closed && wants.get(t.cid) == t;
    } finally {
      lock.unlock();
    }
  }

  /** The worker answered the want (block or HAVE sent, or DONT_HAVE for a want-have): it leaves the wantlist. */
  void answered(WantTask t) {
    lock.lock();
    try {
      if (wants.get(t.cid) == t) {
        if (t.requeue) {
          requeue(t);
        } else {
          wants.remove(t.cid);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The worker did not find the block: the want waits for it (a DONT_HAVE may have been sent). */
  void notFound(WantTask t) {
    lock.lock();
    try {
      if (wants.get(t.cid) != t) {
        return;
      }
      if (t.requeue) {
        requeue(t);
      } else {
        t.state = WantTask.State.WAITING;
        waiting.add(t);
        index.waiting(t.cid, this);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The worker took the want but the peer's byte budget ran out before it: back to the queue, same place. */
  void putBack(WantTask t) {
    lock.lock();
    try {
      if (wants.get(t.cid) == t) {
        t.requeue = false;
        enqueue(t, t.queuedAt);
      }
    } finally {
      lock.unlock();
    }
  }

  private void requeue(WantTask t) {
    t.requeue = false;
    t.seq = seq++;
    enqueue(t, clock.getAsLong());
  }

  /** A block we lacked arrived: a want waiting for it goes back to the queue. */
  void blockArrived(Cid cid) {
    lock.lock();
    try {
      WantTask t = wants.get(cid);
      if (t != null && t.state == WantTask.State.WAITING) {
        waiting.remove(t);
        index.notWaiting(cid, this);
        requeue(t);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Bytes handed to the network for this peer; how many are now in flight. */
  long reserve(long bytes) {
    lock.lock();
    try {
      outstandingBytes += bytes;
      return outstandingBytes;
    } finally {
      lock.unlock();
    }
  }

  long outstandingBytes() {
    lock.lock();
    try {
      return outstandingBytes;
    } finally {
      lock.unlock();
    }
  }

  /** A message left (or failed): its bytes are no longer in flight; what was sent is counted. */
  void sent(long bytes, int blocks, long blockBytes, boolean ok) {
    lock.lock();
    try {
      outstandingBytes -= bytes;
      if (ok) {
        blocksSent += blocks;
        bytesSent += blockBytes;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the ledger scheduled if it has queued wants, budget left and is not scheduled yet. While
   * the engine sheds ({@code shedding}), a ledger with only lowest-class wants, none of which can be
   * answered DONT_HAVE, is deferred instead.
   */
  Schedule trySchedule(long maxOutstanding, boolean shedding) {
    lock.lock();
    try {
      if (scheduled || closed || queuedCount == 0 || outstandingBytes >= maxOutstanding) {
        return Schedule.NONE;
      }
      promoteDue(clock.getAsLong());
      if (shedding && bestQueued() == WantClass.NORMAL && sheddable == 0) {
        return Schedule.DEFERRED;
      }
      scheduled = true;
      return Schedule.READY;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How long the longest-queued want has been in its class's queue (0 with none queued): what a batch
   * strategy's hold counts from, so the wants that waited for the byte budget are not held again.
   */
  long longestQueuedNanos() {
    lock.lock();
    try {
      long now = clock.getAsLong();
      long oldest = now;
      for (TreeSet<WantTask> since : queuedSince.values()) {
        if (!since.isEmpty()) {
          oldest = Math.min(oldest, since.first().queuedAt);
        }
      }
      return now - oldest;
    } finally {
      lock.unlock();
    }
  }

  /** The peer as it joins the ready queue, for the priority manager to rank. */
  PeerTurn turn() {
    lock.lock();
    try {
      long now = clock.getAsLong();
      WantClass best = bestQueued();
      return new PeerTurn(peer, turns == 0, now - (turns == 0 ? connectedAt : lastTurnEnd),
          best == null ? WantClass.NORMAL : best, queuedCount);
    } finally {
      lock.unlock();
    }
  }

  /** A worker is done with its turn (or the ledger left the ready queue). */
  void unschedule() {
    lock.lock();
    try {
      scheduled = false;
      lastTurnEnd = clock.getAsLong();
    } finally {
      lock.unlock();
    }
  }

  /** The peer left: forget its wants. */
  void close() {
    lock.lock();
    try {
      closed = true;
      for (WantTask t : waiting) {
        index.notWaiting(t.cid, this);
      }
      for (WantClass c : WantClass.values()) {
        index.queued(c, -queued.get(c).size());
        queued.get(c).clear();
        queuedSince.get(c).clear();
      }
      unsheddableSince.clear();
      queuedCount = 0;
      sheddable = 0;
      wants.clear();
      waiting.clear();
    } finally {
      lock.unlock();
    }
  }

  int queuedCount() {
    lock.lock();
    try {
      return queuedCount;
    } finally {
      lock.unlock();
    }
  }

  List<Want> wantlist() {
    lock.lock();
    try {
      List<WantTask> all = new ArrayList<>(wants.values());
      all.sort(java.util.Comparator.<WantTask, WantClass>comparing(t -> t.wantClass).thenComparing(WantTask.ORDER));
      return all.stream().map(WantTask::toWant).toList();
    } finally {
      lock.unlock();
    }
  }

  LedgerEntry entry() {
    lock.lock();
    try {
      return new LedgerEntry(peer, bytesSent, bytesReceived, blocksSent, blocksReceived, wants.size(), messagesReceived);
    } finally {
      lock.unlock();
    }
  }

  /** Whether the limits should be told the peer's round trip at {@code now}. */
  boolean roundTripDue(long now) {
    return now - roundTripDueAt >= 0;
  }

  /** The limits were told the peer's round trip at {@code now}: not again for {@code intervalNanos}. */
  void roundTripTold(long now, long intervalNanos) {
    roundTripDueAt = now + intervalNanos;
  }
}
