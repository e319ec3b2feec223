package io.cairn.blockstore.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A tier's segment files in id order, the active one last, and the one path records are appended by.
 * Any thread reads a segment it {@link #get got}; only the writer appends, seals, undoes and deletes.
 * A segment deleted under a reader fails its read with a {@code ClosedChannelException}, which tells
 * the reader to look the block up again.
 */
final class SegmentLog {
  private static final int WRITE_BUFFER = 4 << 20;

  private final Path dir;
  private final TierCounters counters;
  private final FileStore.Events events;
  private final WriteFault fault;
  private final ConcurrentSkipListMap<Integer, Segment> segments = new ConcurrentSkipListMap<>();
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
  private volatile Segment active;

  SegmentLog(Path dir, List<Segment> found, TierCounters counters, FileStore.Events events, WriteFault fault) {
    this.dir = dir;
    this.counters = counters;
    this.events = events;
    this.fault = fault;
    for (Segment s : found) {
      segments.put(s.id, s);
      counters.addSegment(s.id);
    }
  }

  Path dir() {
    return dir;
  }

  /** The segment {@code id}, or null once compacted away. */
  Segment get(int id) {
    return segments.get(id);
  }

  /** Every segment, oldest first, weakly consistent with segments added and deleted meanwhile. */
  Collection<Segment> all() {
    return segments.values();
  }

  Segment first() {
    return segments.firstEntry().getValue();
  }

  Segment last() {
    return segments.lastEntry().getValue();
  }

  Segment active() {
    return active;
  }

  /** Appends go to the last segment while it has room, else to a new one. */
  void openActive(int segmentBytes) throws IOException {
    Map.Entry<Integer, Segment> last = segments.lastEntry();
    if (last != null && last.getValue().size() < segmentBytes) {
      active = last.getValue();
    } else {
      active = newSegment(last == null ? 1 : last.getKey() + 1);
    }
  }

  private Segment newSegment(int id) throws IOException {
    Segment s = Segment.create(dir, id);
    s.force();
    BlockIndex.forceDirectory(dir);
    counters.addSegment(id);
    segments.put(id, s);
    return s;
  }

  /** Appends one record through the write buffer, sealing the segment first when it is full. */
  Location append(byte[] cid, byte kind, int codec, int originalLength, byte[] payload, int length,
      FileTierSettings s) throws IOException {
    int size = RecordFormat.recordLength(cid.length, length);
    long end = active.size() + writeBuffer.position();
    if (end > RecordFormat.SEGMENT_HEADER && end + size > s.segmentBytes()) {
      flush();
      // Sealed segments are forced at once, so only the active one can ever end in a torn record.
      active.force();
      active = newSegment(active.id + 1);
    }
    long offset = active.size() + writeBuffer.position();
    if (size > writeBuffer.remaining()) {
      flush();
    }
    if (size > writeBuffer.capacity()) {
      ByteBuffer big = ByteBuffer.allocate(size);
      RecordFormat.writeRecord(big, kind, codec, cid, originalLength, payload, length);
      active.append(big.flip());
    } else {
      RecordFormat.writeRecord(writeBuffer, kind, codec, cid, originalLength, payload, length);
    }
    return new Location(active.id, offset, codec, originalLength, length);
  }

  /** Writes out what {@link #append} buffered. */
  void flush() throws IOException {
    writeBuffer.flip();
    try {
      active.append(writeBuffer);
    } finally {
      writeBuffer.clear();
    }
  }

  /**
   * Drops everything a failed commit appended: segments it began, and its bytes in the one it began
   * in. If that fails too, the tier takes no more writes.
   */
  void undo(Segment startSegment, long startSize) {
    writeBuffer.clear();
    try {
      while (active != startSegment) {
        Segment extra = active;
        segments.remove(extra.id);
        counters.removeSegment(extra.id);
        extra.delete();
        active = segments.get(extra.id - 1);
      }
      startSegment.truncate(startSize);
    } catch (IOException e) {
      fault.set(e);
      events.warn("cannot undo a failed write in " + dir + " (" + e + "); the tier takes no more writes");
    }
  }

  /** Deletes a compacted segment, whose live records are durable elsewhere and indexed there. */
  void delete(Segment victim) throws IOException {
    segments.remove(victim.id);
    counters.removeSegment(victim.id);
    victim.delete();
    BlockIndex.forceDirectory(dir);
  }

  /** The bytes of all segment files, dead records included. */
  long fileBytes() {
    return segments.values().stream().mapToLong(Segment::size).sum();
  }

  void close() throws IOException {
    for (Segment s : segments.values()) {
      s.close();
    }
  }
}
