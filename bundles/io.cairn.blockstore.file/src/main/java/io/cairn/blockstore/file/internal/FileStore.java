package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTooLargeException;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.CompressionCodec;
import io.cairn.blockstore.DiskSpaceLowException;
import io.cairn.blockstore.MemoryPressureException;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One persistent tier's storage engine, free of OSGi so tests and benchmarks drive it directly: the
 * write path, and the parts it ties together.
 *
 * <p>Writes go through one writer thread: it takes every request queued, appends their records to the
 * active segment of the {@link SegmentLog}, forces the segment once for all of them (group commit),
 * publishes them in the {@link LiveIndex} and only then completes their futures; the index's own
 * thread applies them to MapDB behind it. Compaction ({@link Compactor}) and re-encoding
 * ({@link Reencoder}) run on the writer too, between commits. {@link Recovery} decides at open what
 * is trusted. Reads ({@link BlockReader}) block and never queue behind writes; {@link FileTier} runs
 * them on its {@link ReadExecutor}, not on its callers' threads.
 */
final class FileStore implements AutoCloseable {
  /** The codecs the tier can use, as they come and go. */
  interface Codecs {
    CompressionCodec byId(int id);

    CompressionCodec byName(String name);
  }

  /** What the store reports to its owner (the component logs it). */
  interface Events {
    void info(String message);

    void warn(String message);
  }

  private final Path dir;
  private final Codecs codecs;
  private final Events events;
  private final BlockIndex index;
  private final LiveIndex liveIndex;
  private final TierCounters counters = new TierCounters();
  private final WriteFault fault = new WriteFault();
  private final SegmentLog log;
  private final SpaceCheck space;
  private final BlockReader reader;
  private final BlockingQueue<WriteOp> queue;
  private final Thread writer;
  private final ExecutorService acks;
  private final Compactor compactor;
  private final Reencoder reencoder;
  private volatile FileTierSettings settings;
  private volatile boolean closing;
  private volatile String missingCodecWarned = "";

  private FileStore(Path dir, List<Segment> found, FileTierSettings settings, Codecs codecs, Events events,
      BlockIndex index) throws IOException {
    this.dir = dir;
    this.log = new SegmentLog(dir, found, counters, events, fault);
    this.settings = settings;
    this.codecs = codecs;
    this.events = events;
    this.index = index;
    this.space = new SpaceCheck(dir, counters);
    this.queue = new LinkedBlockingQueue<>();
    String name = settings.name();

    this.acks = Executors.newSingleThreadExecutor(r -> daemon(r, "cairn-file-" + name + "-ack"));
    this.writer = daemon(this::writeLoop, "cairn-file-" + name + "-writer");
    this.liveIndex = new LiveIndex(index, counters, events, fault, () -> this.settings.name(),
        () -> closing && !writer.isAlive());
    this.reader = new BlockReader(log, liveIndex, counters, codecs, () -> this.settings.name());
    this.compactor = new Compactor(log, liveIndex, counters, () -> this.settings, events, () -> closing, this::compact);
    this.reencoder = new Reencoder(log, liveIndex, () -> this.settings);
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Opens (creating if need be) the tier in {@code settings.folder()}: opens the segments, trusts the
   * index if it was closed cleanly at the segments' present tail, and otherwise rebuilds it from the
   * segments, dropping a torn tail record of the last segment.
   */
  static FileStore open(FileTierSettings settings, Codecs codecs, Events events) throws IOException {
    Path dir = settings.folder();
    Files.createDirectories(dir);
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new IOException(dir + " is not a writable folder");
    }
    List<Segment> found = Recovery.openSegments(dir, events);
    String tail = found.isEmpty() ? "none" : found.getLast().id + ":" + found.getLast().size();
    BlockIndex index = BlockIndex.open(dir, tail);
    FileStore store;
    try {
      store = new FileStore(dir, found, settings, codecs, events, index);
      if (index.trusted()) {
        store.counters.load(index.counters());
      } else if (!found.isEmpty()) {
        Recovery.rebuild(store.log, index, store.counters, events);
      }
      store.log.openActive(settings.segmentBytes());
    } catch (IOException | RuntimeException e) {
      index.close();
      for (Segment s : found) {
        s.close();
      }
      throw e;
    }
    store.writer.start();
    store.liveIndex.start();
    store.compactor.start();
    return store;
  }

  void apply(FileTierSettings next) {
    settings = next;
  }

  FileTierSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- reads

  boolean has(Cid cid) {
    return reader.has(cid);
  }

  /** The block's original size, or -1 when absent. */
  int size(Cid cid) {
    return reader.size(cid);
  }

  Block get(Cid cid) throws BlockstoreException {
    return reader.get(cid);
  }

  InputStream getStream(Cid cid) throws BlockstoreException {
    return reader.getStream(cid);
  }

  Stream<Cid> keys() {
    return reader.keys();
  }

  TierStats stats() {
    return counters.stats(settings);
  }

  /** Live blocks written by codec {@code id}. */
  long blocksWithCodec(int id) {
    return counters.blocksWithCodec(id);
  }

  /** The bytes of all segment files, dead records included. */
  long fileBytes() {
    return log.fileBytes();
  }

  // ---------------------------------------------------------------- writes

  CompletableFuture<Void> putMany(List<Block> blocks) {
    int max = RecordFormat.MAX_PAYLOAD;
    for (Block b : blocks) {
      if (b.size() > max) {
        return CompletableFuture.failedFuture(new BlockTooLargeException(
            "block " + b.cid() + " has " + b.size() + " bytes; a record holds at most " + max));
      }
      if (b.cid().encodedLength() > RecordFormat.MAX_CID) {
        return CompletableFuture.failedFuture(new BlockstoreException(
            "CID " + b.cid() + " is longer than " + RecordFormat.MAX_CID + " bytes"));
      }
    }
    PutOp op = new PutOp(blocks, new CompletableFuture<>());
    return enqueue(op, op.done);
  }

  CompletableFuture<Boolean> delete(Cid cid) {
    DeleteOp op = new DeleteOp(cid, new CompletableFuture<>());
    return enqueue(op, op.done);
  }

  /**
   * Rewrites every block written by {@code codec} as raw records, so the codec can go: run on the
   * writer in steps between other writes; completes when none is left.
   */
  CompletableFuture<Long> reencode(CompressionCodec codec) {
    ReencodeOp op = new ReencodeOp(codec, new CompletableFuture<>(), new ArrayList<>(), new long[] {0, -1});
    return enqueue(op, op.done);
  }

  /** Rewrites the live records of the sealed segment {@code id} into the active one and deletes it. */
  CompletableFuture<Long> compact(int id) {
    CompactOp op = new CompactOp(id, new CompletableFuture<>());
    return enqueue(op, op.done);
  }

  /** Sealed segments whose live share is below the compaction threshold, sparsest first. */
  List<Integer> compactionCandidates() {
    return compactor.candidates();
  }

  private <T> CompletableFuture<T> enqueue(WriteOp op, CompletableFuture<T> done) {
    if (closing) {
      return CompletableFuture.failedFuture(new BlockstoreException("the " + settings.name() + " tier is closed"));
    }
    if (fault.isSet()) {
      return CompletableFuture.failedFuture(brokenError());
    }
    // Checked against the live setting, so a change applies at once; concurrent callers may pass it by
    // at most their number.
    if (queue.size() >= settings.maxQueuedWrites() || !queue.offer(op)) {
      return CompletableFuture.failedFuture(new MemoryPressureException("the write queue of the " + settings.name()
          + " tier is full (" + settings.maxQueuedWrites() + " requests, maxQueuedWrites)"));
    }
    return done;
  }

  private BlockstoreException brokenError() {
    return fault.refusal(settings.name());
  }

  private sealed interface WriteOp permits PutOp, DeleteOp, ReencodeOp, CompactOp {
    void fail(Throwable cause);
  }

  private record PutOp(List<Block> blocks, CompletableFuture<Void> done) implements WriteOp {
    public void fail(Throwable cause) {
      done.completeExceptionally(cause);
    }
  }

  private record DeleteOp(Cid cid, CompletableFuture<Boolean> done) implements WriteOp {
    public void fail(Throwable cause) {
      done.completeExceptionally(cause);
    }
  }

  /** {@code progress}: blocks rewritten so far, and how far into {@code todo} (-1 before it is listed). */
  private record ReencodeOp(CompressionCodec codec, CompletableFuture<Long> done, List<byte[]> todo, long[] progress)
      implements WriteOp {
    public void fail(Throwable cause) {
      done.completeExceptionally(cause);
    }
  }

  private record CompactOp(int segment, CompletableFuture<Long> done) implements WriteOp {
    public void fail(Throwable cause) {
      done.completeExceptionally(cause);
    }
  }

  private void writeLoop() {
    List<WriteOp> ops = new ArrayList<>();
    while (true) {
      try {
        WriteOp first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        ops.add(first);
        queue.drainTo(ops);
        List<WriteOp> batch = new ArrayList<>();
        for (WriteOp op : ops) {
          if (op instanceof ReencodeOp || op instanceof CompactOp) {
            commit(batch);
            batch.clear();
            rewrite(op);
          } else {
            batch.add(op);
          }
        }
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        // A bug must not leave callers waiting forever: fail what was taken and go on.
        for (WriteOp op : ops) {
          op.fail(new BlockstoreException("write failed: " + e, e));
        }
        events.warn("the " + settings.name() + " tier's writer failed: " + e);
      } finally {
        ops.clear();
      }
    }
  }

  /**
   * One group commit: appends the records of every put and delete taken, forces once, updates the
   * index while the force runs, then completes them all. A put that would pass the capacity or the
   * free-space floor fails alone; an I/O error undoes the whole commit's appends.
   */
  private void commit(List<WriteOp> ops) {
    if (ops.isEmpty()) {
      return;
    }
    if (fault.isSet()) {
      ops.forEach(op -> op.fail(brokenError()));
      return;
    }
    FileTierSettings s = settings;
    Segment startSegment = log.active();
    long startSize = startSegment.size();
    List<LiveIndex.Pending> pending = new ArrayList<>();
    // CIDs this commit puts (true) or deletes (false), which the index does not show yet.
    Map<LiveIndex.Key, Boolean> inCommit = new HashMap<>();
    List<WriteOp> accepted = new ArrayList<>();
    Map<WriteOp, Boolean> deleted = new HashMap<>();
    long freeSpace = space.usableSpace();
    long added = 0;
    CompressionCodec writeCodec = s.compressionEnabled() ? writeCodec(s) : null;
    try {
      for (WriteOp op : ops) {
        if (op instanceof PutOp put) {
          List<Encoded> records = new ArrayList<>();
          long bytes = 0;
          for (Block b : put.blocks()) {
            byte[] key = b.cid().toBytes();
            LiveIndex.Key k = new LiveIndex.Key(key);
            // Only this commit's own repeats are skipped here: a lookup per block would cost the writer
            // a MapDB read each (a fifth of a put, measured). A block the index already holds is
            // written again and replaces its entry; the old record is dead space compaction reclaims.
            // The tiered store asks has() before it writes, so that is the rare case.
            if (Boolean.TRUE.equals(inCommit.get(k))) {
              continue;
            }
            Encoded e = encode(key, b.data(), writeCodec, s);
            records.add(e);
            inCommit.put(k, true);
            bytes += RecordFormat.recordLength(key.length, e.length);
          }
          String refusal = space.refusal(s, added + bytes, freeSpace);
          if (refusal != null) {
            records.forEach(e -> inCommit.remove(new LiveIndex.Key(e.cid)));
            put.fail(new DiskSpaceLowException(refusal));
            continue;
          }
          for (Encoded e : records) {
            Location l = log.append(e.cid, RecordFormat.BLOCK, e.codec, e.originalLength, e.payload, e.length, s);
            pending.add(new LiveIndex.Pending(e.cid, l, false));
          }
          added += bytes;
          accepted.add(op);
        } else if (op instanceof DeleteOp del) {
          byte[] key = del.cid().toBytes();
          LiveIndex.Key k = new LiveIndex.Key(key);
          boolean present = inCommit.containsKey(k) ? inCommit.get(k) : liveIndex.lookup(key) != null;
          if (present) {
            log.append(key, RecordFormat.TOMBSTONE, 0, 0, new byte[0], 0, s);
            pending.add(new LiveIndex.Pending(key, null, true));
            inCommit.put(k, false);
          }
          deleted.put(op, present);
          accepted.add(op);
        }
      }
      log.flush();
    } catch (IOException e) {
      log.undo(startSegment, startSize);
      BlockstoreException failure = SpaceCheck.isNoSpace(e)
          ? new DiskSpaceLowException("the file system of " + dir + " is full: " + e.getMessage())
          : new BlockstoreException("cannot write to " + log.active().path + ": " + e.getMessage(), e);
      ops.forEach(op -> op.fail(failure));
      return;
    }
    if (pending.isEmpty()) {
      complete(accepted, deleted);
      return;
    }
    try {
      log.active().force();
    } catch (IOException e) {
      fault.set(e);
      events.warn("forcing " + log.active().path + " failed (" + e + "); the " + s.name() + " tier takes no more writes");
      accepted.forEach(op -> op.fail(brokenError()));
      return;
    }
    liveIndex.publish(pending);
    complete(accepted, deleted);
  }

  /** Waits until MapDB holds every published change (before listing MapDB's entries, and for tests). */
  void awaitIndexed() {
    liveIndex.awaitIndexed();
  }

  private void complete(List<WriteOp> accepted, Map<WriteOp, Boolean> deleted) {
    acks.execute(() -> {
      for (WriteOp op : accepted) {
        if (op instanceof PutOp put) {
          put.done().complete(null);
        } else if (op instanceof DeleteOp del) {
          del.done().complete(deleted.get(op));
        }
      }
    });
  }

  private CompressionCodec writeCodec(FileTierSettings s) {
    CompressionCodec codec = codecs.byName(s.compressionCodec());
    if (codec == null && !s.compressionCodec().equals(missingCodecWarned)) {
      missingCodecWarned = s.compressionCodec();
      events.warn("compression codec " + s.compressionCodec() + " is not installed; the " + s.name()
          + " tier stores blocks raw until it is");
    }
    return codec;
  }

  /** A block's record payload: compressed when that saves the configured share, raw otherwise. */
  private record Encoded(byte[] cid, int codec, int originalLength, byte[] payload, int length) {
  }

  private static Encoded encode(byte[] cid, byte[] data, CompressionCodec codec, FileTierSettings s) {
    if (codec != null && data.length > 0) {
      byte[] packed = codec.compress(data, s.compressionLevel());
      long limit = (long) data.length * (100 - s.compressionMinSavingsPercent()) / 100;
      if (packed.length <= limit) {
        return new Encoded(cid, codec.id(), data.length, packed, packed.length);
      }
    }
    return new Encoded(cid, 0, data.length, data, data.length);
  }

  /**
   * Re-encoding and compaction, on the writer between commits: both read live records and append
   * them again, each step one group commit. A step's old records stay valid until the step is durable
   * and indexed, so a crash at any point loses nothing.
   */
  private void rewrite(WriteOp op) {
    try {
      if (op instanceof ReencodeOp re) {
        if (reencoder.step(re.codec(), re.todo(), re.progress())) {
          re.done().complete(re.progress()[0]);
        } else {
          // Back of the queue, so the puts that came meanwhile go first.
          queue.add(re);
        }
      } else if (op instanceof CompactOp c) {
        c.done().complete(compactor.compact(c.segment()));
      }
    } catch (IOException | BlockstoreException e) {
      op.fail(e);
    }
  }

  /**
   * Stops taking writes, lets the writer finish what is queued, and closes: cleanly (the index marked
   * as matching the segments) unless a write broke the tier.
   */
  @Override
  public void close() throws IOException {
    closing = true;
    compactor.stop();
    try {
      writer.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (WriteOp op : List.copyOf(queue)) {
      op.fail(new BlockstoreException("the " + settings.name() + " tier closed before this write"));
    }
    try {
      liveIndex.join(TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    acks.shutdown();
    try {
      acks.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    IOException failure = null;
    try {
      log.active().force();
    } catch (IOException e) {
      failure = e;
    }
    if (!fault.isSet() && failure == null && !writer.isAlive() && liveIndex.stopped()) {
      counters.save(index.counters());
      Segment last = log.last();
      try {
        index.closeClean(last.id + ":" + last.size());
      } catch (IOException e) {
        // Nothing is lost: without the marker the next open rebuilds the index from the segments.
        events.warn("cannot mark the index of " + dir + " clean (" + e.getMessage() + "); the next start rebuilds it");
      }
    } else {
      index.close();
    }
    log.close();
    if (failure != null) {
      throw failure;
    }
  }

  /** For the benchmarks that measure the index's share of a get. */
  BlockIndex index() {
    return index;
  }
}
