package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.file.internal.RecordFormat.Header;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Reclaims dead records: every compaction interval it picks the sparsest sealed segment below the
 * threshold and queues its compaction for the writer, one at a time. The writer copies the segment's
 * live records to the active one, publishes their new places, and only once MapDB holds them deletes
 * the old segment; a read still holding the old place then finds the segment closed and looks again
 * (see {@link BlockReader}).
 */
final class Compactor {
  private final SegmentLog log;
  private final LiveIndex liveIndex;
  private final TierCounters counters;
  private final Supplier<FileTierSettings> settings;
  private final FileStore.Events events;
  private final BooleanSupplier closing;
  /** Queues the compaction of a segment for the writer, which calls {@link #compact} in turn. */
  private final IntFunction<CompletableFuture<Long>> enqueue;
  private final ScheduledExecutorService timer;
  private volatile CompletableFuture<Long> compacting = CompletableFuture.completedFuture(0L);

  Compactor(SegmentLog log, LiveIndex liveIndex, TierCounters counters, Supplier<FileTierSettings> settings,
      FileStore.Events events, BooleanSupplier closing, IntFunction<CompletableFuture<Long>> enqueue) {
    this.log = log;
    this.liveIndex = liveIndex;
    this.counters = counters;
    this.settings = settings;
    this.events = events;
    this.closing = closing;
    this.enqueue = enqueue;
    String name = settings.get().name();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> FileStore.daemon(r, "cairn-file-" + name + "-compactor"));
  }

  void start() {
    schedule();
  }

  void stop() {
    timer.shutdownNow();
  }

  /** Checks for sparse segments every compaction interval, as the setting is then; one at a time. */
  private void schedule() {
    timer.schedule(() -> {
      if (closing.getAsBoolean()) {
        return;
      }
      if (compacting.isDone()) {
        List<Integer> candidates = candidates();
        if (!candidates.isEmpty()) {
          int id = candidates.getFirst();
          compacting = enqueue.apply(id).whenComplete((moved, failure) -> {
            if (failure != null) {
              events.warn("compacting segment " + id + " of the " + settings.get().name() + " tier failed: " + failure);
            } else {
              events.info("compacted segment " + id + " of the " + settings.get().name() + " tier: " + moved + " blocks moved");
            }
          });
        }
      }
      schedule();
    }, settings.get().compactionIntervalMs(), TimeUnit.MILLISECONDS);
  }

  /** Sealed segments whose live share is below the compaction threshold, sparsest first. */
  List<Integer> candidates() {
    double threshold = settings.get().compactionThreshold();
    Segment current = log.active();
    return log.all().stream()
        .filter(s -> s != current)
        .filter(s -> {
          long live = counters.liveBytes(s.id);
          long payload = s.size() - RecordFormat.SEGMENT_HEADER;
          return live >= 0 && payload > 0 && (double) live / payload < threshold;
        })
        .sorted((a, b) -> Double.compare(share(a), share(b)))
        .map(s -> s.id)
        .toList();
  }

  private double share(Segment s) {
    long live = counters.liveBytes(s.id);
    return live < 0 ? 0 : (double) live / Math.max(1, s.size());
  }

  /**
   * Rewrites the live records of the sealed segment {@code id} into the active one and deletes it;
   * the records moved. On the writer thread, as one group commit.
   */
  long compact(int id) throws IOException {
    Segment victim = log.get(id);
    if (victim == null || victim == log.active()) {
      return 0L;
    }
    FileTierSettings s = settings.get();
    boolean olderExist = log.first().id < victim.id;
    List<LiveIndex.Pending> pending = new ArrayList<>();
    Segment startSegment = log.active();
    long startSize = startSegment.size();
    try {
      List<Header> headers = new ArrayList<>();
      victim.scan(RecordFormat.SEGMENT_HEADER, false, headers::add);
      for (Header h : headers) {
        Location l = liveIndex.lookup(h.cid());
        if (h.kind() == RecordFormat.BLOCK) {
          if (l != null && l.segment() == victim.id && l.offset() == h.offset()) {
            byte[] record = new byte[(int) (h.end() - h.offset())];
            victim.read(ByteBuffer.wrap(record), h.offset());
            byte[] payload = Arrays.copyOfRange(record, RecordFormat.HEADER + h.cid().length,
                RecordFormat.HEADER + h.cid().length + h.storedLength());
            Location moved = log.append(h.cid(), RecordFormat.BLOCK, h.codec(), h.originalLength(), payload,
                payload.length, s);
            pending.add(new LiveIndex.Pending(h.cid(), moved, false));
          }
        } else if (l == null && olderExist) {
          // An older segment may still hold a record this tombstone cancels; a rebuild needs it.
          log.append(h.cid(), RecordFormat.TOMBSTONE, 0, 0, new byte[0], 0, s);
        }
      }
      log.flush();
      log.active().force();
    } catch (IOException e) {
      log.undo(startSegment, startSize);
      throw e;
    }
    liveIndex.publish(pending);
    liveIndex.awaitIndexed(); // the moved records' old copies are uncounted before their segment goes
    log.delete(victim);
    return pending.size();
  }
}
