package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rewrites the blocks of a codec that is leaving as raw records, on the writer in steps between other
 * writes, so no block becomes unreadable when the codec goes.
 */
final class Reencoder {
  /** How many records one step rewrites before it lets queued puts in. */
  private static final int STEP = 1024;

  private final SegmentLog log;
  private final LiveIndex liveIndex;
  private final Supplier<FileTierSettings> settings;

  Reencoder(SegmentLog log, LiveIndex liveIndex, Supplier<FileTierSettings> settings) {
    this.log = log;
    this.liveIndex = liveIndex;
    this.settings = settings;
  }

  /**
   * One step of rewriting {@code codec}'s blocks raw: the first lists them (into {@code todo}), each
   * rewrites up to {@link #STEP} of them as one group commit. {@code progress}: blocks rewritten so
   * far, and how far into {@code todo} (-1 before it is listed). True when none is left.
   */
  boolean step(CompressionCodec codec, List<byte[]> todo, long[] progress) throws IOException, BlockstoreException {
    int id = codec.id();
    if (progress[1] < 0) {
      liveIndex.awaitIndexed();
      for (Iterator<Map.Entry<byte[], byte[]>> it = liveIndex.mapdb().entries(); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (Location.decode(e.getValue()).codec() == id) {
          todo.add(e.getKey());
        }
      }
      progress[1] = 0;
    }
    List<LiveIndex.Pending> pending = new ArrayList<>();
    FileTierSettings s = settings.get();
    Segment startSegment = log.active();
    long startSize = startSegment.size();
    try {
      while (progress[1] < todo.size() && pending.size() < STEP) {
        byte[] key = todo.get((int) progress[1]++);
        Location l = liveIndex.lookup(key);
        if (l == null || l.codec() != id) {
          continue; // deleted or rewritten since it was listed
        }
        Cid cid = Cid.fromBytes(key);
        byte[] data = codec.decompress(BlockReader.readPayload(cid, key, l, log.get(l.segment())), l.originalLength());
        Location moved = log.append(key, RecordFormat.BLOCK, 0, data.length, data, data.length, s);
        pending.add(new LiveIndex.Pending(key, moved, false));
      }
      log.flush();
    } catch (IOException e) {
      log.undo(startSegment, startSize);
      throw e;
    }
    if (!pending.isEmpty()) {
      log.active().force();
      liveIndex.publish(pending);
      progress[0] += pending.size();
    }
    if (progress[1] < todo.size()) {
      return false;
    }
    // Done when MapDB has uncounted the old records too, so the codec's count is exact when it goes.
    liveIndex.awaitIndexed();
    return true;
  }
}
