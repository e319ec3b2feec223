package io.cairn.blockstore.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a tier trusts when it opens. The segments are the truth: their files are opened in id order (a
 * last one cut short before its first record, a crash while it was created, is removed). The index is
 * derived from them: kept when it was closed cleanly at their present tail (see {@link BlockIndex}),
 * otherwise rebuilt by replaying every record, which also finds where an unfinished last commit ends.
 */
final class Recovery {
  private Recovery() {
  }

  static List<Segment> openSegments(Path dir, FileStore.Events events) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> Segment.idOf(p) >= 0).sorted().toList();
    }
    List<Segment> opened = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      boolean last = i == files.size() - 1;
      if (last && Files.size(file) < RecordFormat.SEGMENT_HEADER) {
        // A crash while a new segment was being created: it never held a record.
        events.info("removing " + file + ", a segment cut short before its first record");
        Files.delete(file);
        continue;
      }
      try {
        opened.add(Segment.open(file));
      } catch (IOException e) {
        for (Segment s : opened) {
          s.close();
        }
        throw new IOException(e.getMessage() + "; move it out of " + dir + " to start without it", e);
      }
    }
    return opened;
  }

  /** Replays every segment in order into an empty index; the last segment's tail is checked whole. */
  static void rebuild(SegmentLog log, BlockIndex index, TierCounters counters, FileStore.Events events)
      throws IOException {
    long started = System.nanoTime();
    index.clear();
    long records = 0;
    for (Segment s : log.all()) {
      boolean last = s == log.last();
      long[] count = {0};
      Segment.ScanEnd end = s.scan(RecordFormat.SEGMENT_HEADER, last, h -> {
        count[0]++;
        if (h.kind() == RecordFormat.BLOCK) {
          Location location = new Location(s.id, h.offset(), h.codec(), h.originalLength(), h.storedLength());
          Location previous = index.put(h.cid(), location);
          if (previous != null) {
            counters.forget(h.cid().length, previous);
          }
          counters.remember(h.cid().length, location);
        } else {
          Location previous = index.remove(h.cid());
          if (previous != null) {
            counters.forget(h.cid().length, previous);
          }
        }
      });
      records += count[0];
      if (end.badHeader() != null) {
        if (last) {
          events.info("dropping the unfinished tail of " + s.path + " from offset " + end.end() + " ("
              + (s.size() - end.end()) + " bytes: " + end.badHeader() + "); only writes never acknowledged end there");
          s.truncate(end.end());
          s.force();
        } else {
          events.warn(s.path + " is damaged: " + end.badHeader() + "; the records after it are not indexed");
        }
      }
    }
    events.info("rebuilt the index of " + log.dir() + " from " + log.all().size() + " segments, " + records + " records, in "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
  }
}
