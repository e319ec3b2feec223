package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.LedgerEntry;
import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One peer's wantlist and what was exchanged with it. The wantlist is capped; each want is queued
 * for a worker, in a worker's hands, or waiting for a block we lack. All state is guarded by one
 * lock per peer, held only for bookkeeping (never across a lookup or a send).
 */
final class PeerLedger {
  final PeerId peer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Cid, WantTask> wants = new HashMap<>();
  private final TreeSet<WantTask> queued = new TreeSet<>(WantTask.ORDER);
  private final TreeSet<WantTask> waiting = new TreeSet<>(WantTask.ORDER);
  /** Told when a want starts or stops waiting for a block (the engine's index of who waits for what). */
  private final WaitingIndex index;
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

  /** Where the engine keeps which peers wait for which CIDs, so an arriving block finds them. */
  interface WaitingIndex {
    void waiting(Cid cid, PeerLedger ledger);

    void notWaiting(Cid cid, PeerLedger ledger);
  }

  PeerLedger(PeerId peer, WaitingIndex index) {
    this.peer = peer;
    this.index = index;
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
          renew(existing, e);
        } else if (!add(e, cap)) {
          dropped++;
        }
      }
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  private void renew(WantTask t, WantlistEntry e) {
    detach(t);
    t.priority = e.priority();
    // A want-have never downgrades a want-block still open for the same CID.
    if (e.type() == WantType.BLOCK) {
      t.type = WantType.BLOCK;
    }
    t.sendDontHave = e.sendDontHave();
    if (t.state == WantTask.State.IN_PROGRESS) {
      t.requeue = true;
    } else {
      t.seq = seq++;
      t.state = WantTask.State.QUEUED;
      queued.add(t);
    }
  }

  /** Adds a new want within the cap: evicts a want we lack the block for, else a lower-priority one, else drops the new one. */
  private boolean add(WantlistEntry e, int cap) {
    if (wants.size() >= cap) {
      WantTask victim = !waiting.isEmpty() ? waiting.last()
          : !queued.isEmpty() && queued.last().priority < e.priority() ? queued.last() : null;
      if (victim == null) {
        return false;
      }
      remove(victim);
    }
    WantTask t = new WantTask(e.cid(), e.priority(), e.type(), e.sendDontHave(), seq++);
    wants.put(t.cid, t);
    queued.add(t);
    return true;
  }

  /** Takes a want out of the queued or waiting set it is in (not out of the wantlist). */
  private void detach(WantTask t) {
    switch (t.state) {
      case QUEUED -> queued.remove(t);
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
   * A worker's turn: up to {@code max} queued wants, best first, or none while the peer has
   * {@code maxOutstanding} bytes in flight.
   */
  List<WantTask> take(int max, long maxOutstanding) {
    lock.lock();
    try {
      List<WantTask> taken = new ArrayList<>(Math.min(max, queued.size()));
      if (closed || outstandingBytes >= maxOutstanding) {
        return taken;
      }
      while (taken.size() < max && !queued.isEmpty()) {
        WantTask t = queued.pollFirst();
        t.state = WantTask.State.IN_PROGRESS;
        taken.add(t);
      }
      return taken;
    } finally {
      lock.unlock();
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
        t.state = WantTask.State.QUEUED;
        queued.add(t);
      }
    } finally {
      lock.unlock();
    }
  }

  private void requeue(WantTask t) {
    t.requeue = false;
    t.seq = seq++;
    t.state = WantTask.State.QUEUED;
    queued.add(t);
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
   * Marks the ledger scheduled if it has queued wants, budget left and is not scheduled yet;
   * true means the caller must put it on the ready queue.
   */
  boolean trySchedule(long maxOutstanding) {
    lock.lock();
    try {
      if (scheduled || closed || queued.isEmpty() || outstandingBytes >= maxOutstanding) {
        return false;
      }
      scheduled = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A worker is done with its turn (or the ledger left the ready queue). */
  void unschedule() {
    lock.lock();
    try {
      scheduled = false;
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
      wants.clear();
      queued.clear();
      waiting.clear();
    } finally {
      lock.unlock();
    }
  }

  int queuedCount() {
    lock.lock();
    try {
      return queued.size();
    } finally {
      lock.unlock();
    }
  }

  List<Want> wantlist() {
    lock.lock();
    try {
      List<WantTask> all = new ArrayList<>(wants.values());
      all.sort(WantTask.ORDER);
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
}
