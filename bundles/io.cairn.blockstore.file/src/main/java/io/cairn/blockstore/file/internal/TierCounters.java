package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.TierStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a tier holds, kept as records become live or dead rather than counted from the index: the
 * stats, each codec's blocks (a leaving codec's work) and each segment's live bytes (compaction's
 * measure). Saved in the index at a clean close and loaded when the index is trusted; a rebuild
 * counts them again from the segments.
 */
final class TierCounters {
  private final ConcurrentHashMap<Integer, AtomicLong> liveBytes = new ConcurrentHashMap<>();
  private final AtomicLong blockCount = new AtomicLong();
  private final AtomicLong usedBytes = new AtomicLong();
  private final AtomicLong blockBytes = new AtomicLong();
  private final AtomicLongArray codecBlocks = new AtomicLongArray(256);
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  /** A segment (new or found at open) whose live bytes are counted from zero. */
  void addSegment(int id) {
    liveBytes.put(id, new AtomicLong());
  }

  void removeSegment(int id) {
    liveBytes.remove(id);
  }

  /** A record became live: a block put, moved or found in a rebuild. */
  void remember(int cidLength, Location l) {
    long bytes = l.recordLength(cidLength);
    blockCount.incrementAndGet();
    usedBytes.addAndGet(bytes);
    blockBytes.addAndGet(l.originalLength());
    liveBytes.computeIfAbsent(l.segment(), k -> new AtomicLong()).addAndGet(bytes);
    codecBlocks.incrementAndGet(l.codec());
  }

  /** A record died: its block deleted, replaced or moved. */
  void forget(int cidLength, Location l) {
    long bytes = l.recordLength(cidLength);
    blockCount.decrementAndGet();
    usedBytes.addAndGet(-bytes);
    blockBytes.addAndGet(-l.originalLength());
    AtomicLong live = liveBytes.get(l.segment());
    if (live != null) {
      live.addAndGet(-bytes);
    }
    codecBlocks.decrementAndGet(l.codec());
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  /** Bytes of live records, the figure the capacity bounds. */
  long usedBytes() {
    return usedBytes.get();
  }

  /** Live record bytes in segment {@code id}, or -1 for a segment not counted. */
  long liveBytes(int id) {
    AtomicLong live = liveBytes.get(id);
    return live == null ? -1 : live.get();
  }

  long blocksWithCodec(int id) {
    return codecBlocks.get(id);
  }

  TierStats stats(FileTierSettings s) {
    return new TierStats(s.name(), blockCount.get(), usedBytes.get(), blockBytes.get(), s.capacityBytes(),
        hits.sum(), misses.sum());
  }

  /** Takes the counters a clean close saved; segments not {@link #addSegment added} are ignored. */
  void load(Map<String, Long> saved) {
    blockCount.set(saved.getOrDefault("blocks", 0L));
    usedBytes.set(saved.getOrDefault("usedBytes", 0L));
    blockBytes.set(saved.getOrDefault("blockBytes", 0L));
    for (Map.Entry<String, Long> e : saved.entrySet()) {
      if (e.getKey().startsWith("live.")) {
        AtomicLong live = liveBytes.get(Integer.parseInt(e.getKey().substring(5)));
        if (live != null) {
          live.set(e.getValue());
        }
      } else if (e.getKey().startsWith("codec.")) {
        codecBlocks.set(Integer.parseInt(e.getKey().substring(6)), e.getValue());
      }
    }
  }

  void save(Map<String, Long> c) {
    c.clear();
    c.put("blocks", blockCount.get());
    c.put("usedBytes", usedBytes.get());
    c.put("blockBytes", blockBytes.get());
    liveBytes.forEach((id, live) -> c.put("live." + id, live.get()));
    for (int i = 0; i < codecBlocks.length(); i++) {
      if (codecBlocks.get(i) != 0) {
        c.put("codec." + i, codecBlocks.get(i));
      }
    }
  }
}
