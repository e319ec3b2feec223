package io.cairn.blockstore.file.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Where each block is, as readers see it: the changes already durable that MapDB has not taken yet,
 * then MapDB. The writer {@link #publish publishes} each commit's changes after its force; the indexer
 * thread applies them to MapDB behind it while the writer appends and forces the next commit: MapDB's
 * insert cost more than the force itself (FileTierBench), and this way the two overlap instead of
 * adding up.
 */
final class LiveIndex {
  /** A record about to be written, and what the index does once it is durable. */
  record Pending(byte[] cid, Location location, boolean tombstone) {
  }

  /** A CID as a hash key. */
  record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private static final Location DELETED = new Location(-1, -1, 0, 0, 0);
  private static final int MAX_INDEX_BACKLOG = 262_144;

  private final BlockIndex index;
  private final TierCounters counters;
  private final FileStore.Events events;
  private final WriteFault fault;
  private final Supplier<String> tierName;
  /** True once the writer has stopped for good: the indexer then ends when its queue is empty. */
  private final BooleanSupplier writerDone;
  /**
   * Index changes whose records are durable but which MapDB has not taken yet, by CID ({@link
   * #DELETED} for a delete). Readers look here first.
   */
  private final ConcurrentHashMap<Key, Location> recent = new ConcurrentHashMap<>();
  private final BlockingQueue<List<Pending>> indexQueue = new LinkedBlockingQueue<>();
  /** Changes queued for the indexer at most; the writer waits beyond it, so {@link #recent} stays bounded. */
  private final Semaphore indexBacklog = new Semaphore(MAX_INDEX_BACKLOG);
  private final Thread indexer;

  LiveIndex(BlockIndex index, TierCounters counters, FileStore.Events events, WriteFault fault,
      Supplier<String> tierName, BooleanSupplier writerDone) {
    this.index = index;
    this.counters = counters;
    this.events = events;
    this.fault = fault;
    this.tierName = tierName;
    this.writerDone = writerDone;
    this.indexer = new Thread(this::indexLoop, "cairn-file-" + tierName.get() + "-index");
    indexer.setDaemon(true);
  }

  /** MapDB itself: for the rebuild, listing a codec's blocks once {@link #awaitIndexed indexed}, and the close. */
  BlockIndex mapdb() {
    return index;
  }

  void start() {
    indexer.start();
  }

  /** Waits up to {@code millis} for the indexer to end (it does once the writer is done and its queue empty). */
  void join(long millis) throws InterruptedException {
    indexer.join(millis);
  }

  boolean stopped() {
    return !indexer.isAlive();
  }

  /** Where the block is: the not yet indexed changes first, then MapDB. */
  Location lookup(byte[] key) {
    Location l = recent.get(new Key(key));
    if (l != null) {
      return l == DELETED ? null : l;
    }
    return index.get(key);
  }

  /**
   * Makes durable changes visible: into {@link #recent} at once, counted in the stats at once (a
   * replaced entry is uncounted when MapDB reports it), and queued for the indexer. Waits while the
   * indexer is {@link #MAX_INDEX_BACKLOG} changes behind.
   */
  void publish(List<Pending> pending) {
    indexBacklog.acquireUninterruptibly(Math.min(pending.size(), MAX_INDEX_BACKLOG));
    for (Pending p : pending) {
      Key k = new Key(p.cid());
      if (p.tombstone()) {
        Location previous = lookup(p.cid());
        if (previous != null) {
          counters.forget(p.cid().length, previous);
        }
        recent.put(k, DELETED);
      } else {
        recent.put(k, p.location());
        counters.remember(p.cid().length, p.location());
      }
    }
    indexQueue.add(pending);
  }

  /** The indexer: applies published changes to MapDB in order, then drops them from {@link #recent}. */
  private void indexLoop() {
    while (true) {
      List<Pending> pending;
      try {
        pending = indexQueue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (pending == null) {
        if (writerDone.getAsBoolean() && indexQueue.isEmpty()) {
          return;
        }
        continue;
      }
      try {
        for (Pending p : pending) {
          if (p.tombstone()) {
            index.remove(p.cid());
            recent.remove(new Key(p.cid()), DELETED);
          } else {
            Location previous = index.put(p.cid(), p.location());
            // A put over a block the index held: the old record is dead now. One still in recent was
            // already replaced there, and was counted when it was published, so it is uncounted here.
            if (previous != null) {
              counters.forget(p.cid().length, previous);
            }
            recent.remove(new Key(p.cid()), p.location());
          }
        }
      } catch (RuntimeException e) {
        events.warn("the " + tierName.get() + " tier's index failed (" + e + "); the next start rebuilds it");
        fault.set(new IOException("index failure: " + e, e));
      } finally {
        indexBacklog.release(Math.min(pending.size(), MAX_INDEX_BACKLOG));
      }
    }
  }

  /** Waits until MapDB holds every published change (before listing MapDB's entries, and for tests). */
  void awaitIndexed() {
    while (!indexQueue.isEmpty() || indexBacklog.availablePermits() < MAX_INDEX_BACKLOG) {
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
