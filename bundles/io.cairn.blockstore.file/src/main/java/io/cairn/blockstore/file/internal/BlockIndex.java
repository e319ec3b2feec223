package io.cairn.blockstore.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * The CID → {@link Location} index, in MapDB. The segments are the truth and this index is derived
 * from them: MapDB runs without its write-ahead log (measured: its transactions cost 2-3× per insert,
 * which the put bar cannot afford), so the file is only trusted after a clean close. A clean close
 * syncs MapDB and then writes {@value #CLEAN_MARKER} naming the segment tail the index reflects; an
 * open deletes the marker before changing anything. An open without the marker, or whose marker does
 * not match the segments, starts from an empty index that the store rebuilds from the segments.
 */
final class BlockIndex implements AutoCloseable {
  static final String FILE = "index.mapdb";
  static final String CLEAN_MARKER = "index.clean";

  private final Path dir;
  private final DB db;
  private final HTreeMap<byte[], byte[]> entries;
  /** Counters saved at a clean close (blocks, bytes, per-segment live bytes): see {@link FileStore}. */
  private final HTreeMap<String, Long> counters;
  private final boolean trusted;

  private BlockIndex(Path dir, DB db, boolean trusted) {
    this.dir = dir;
    this.db = db;
    this.trusted = trusted;
    this.entries = db.hashMap("entries", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY)
        // Values in the leaf, and no MapDB counter (the store counts blocks itself): each saves a
        // store record update per insert (measured ~10% faster puts each).
        .valueInline()
        // 32 segments of 64-slot directories, 4 levels deep, instead of MapDB's 8 × 16^4: inserts
        // measured 25-45% faster from 1 to 6 million entries (a MapDB probe, one thread).
        .layout(32, 64, 4)
        .createOrOpen();
    this.counters = db.hashMap("counters", Serializer.STRING, Serializer.LONG).createOrOpen();
  }

  /**
   * Opens the index in {@code dir}. It is {@link #trusted()} only when the clean marker is present and
   * records {@code expectedTail} (the last segment's id and size); otherwise any old index file is
   * deleted and an empty one created, to be rebuilt from the segments.
   */
  static BlockIndex open(Path dir, String expectedTail) throws IOException {
    Path marker = dir.resolve(CLEAN_MARKER);
    Path file = dir.resolve(FILE);
    boolean trusted = false;
    if (Files.exists(marker) && Files.exists(file)) {
      Properties p = new Properties();
      try (var in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException | IllegalArgumentException e) {
        p.clear();
      }
      trusted = expectedTail.equals(p.getProperty("tail"));
    }
    // Whatever happens next changes the index: from here until a clean close it is not to be trusted.
    Files.deleteIfExists(marker);
    forceDirectory(dir);
    if (!trusted) {
      Files.deleteIfExists(file);
    }
    DB db;
    try {
      db = maker(file).make();
    } catch (RuntimeException e) {
      if (!trusted) {
        throw new IOException("cannot create the index " + file + ": " + e.getMessage(), e);
      }
      // A marker that says clean beside a file MapDB cannot open: rebuild rather than refuse to start.
      Files.deleteIfExists(file);
      db = maker(file).make();
      trusted = false;
    }
    return new BlockIndex(dir, db, trusted);
  }

  /**
   * Memory-mapped (a file-channel MapDB measured 5× slower per insert). MapDB zeroes the space it
   * grows by, so its pages are allocated when it grows rather than when an entry first touches them:
   * a write to a mapped page the file system cannot back is a SIGBUS, and the tier's free-space floor
   * (minFreeBytes) keeps growth away from a full disk.
   */
  private static DBMaker.Maker maker(Path file) {
    return DBMaker.fileDB(file.toFile())
        .fileMmapEnableIfSupported()
        .cleanerHackEnable()
        .allocateIncrement(16 << 20);
  }

  /** Whether the index matched the segments when opened (no rebuild needed). */
  boolean trusted() {
    return trusted;
  }

  Location get(byte[] cid) {
    byte[] v = entries.get(cid);
    return v == null ? null : Location.decode(v);
  }

  /** Maps the CID to {@code location}; the location it had, or null. */
  Location put(byte[] cid, Location location) {
    byte[] previous = entries.put(cid, location.encode());
    return previous == null ? null : Location.decode(previous);
  }

  boolean contains(byte[] cid) {
    return entries.containsKey(cid);
  }

  Location remove(byte[] cid) {
    byte[] v = entries.remove(cid);
    return v == null ? null : Location.decode(v);
  }

  /** Every entry, weakly consistent with concurrent changes. */
  Iterator<Map.Entry<byte[], byte[]>> entries() {
    return entries.entrySet().iterator();
  }

  void clear() {
    entries.clear();
    counters.clear();
  }

  Map<String, Long> counters() {
    return counters;
  }

  /**
   * Syncs MapDB, closes it, then writes the marker that makes the next open trust it: only after the
   * index is on disk, so a crash in between leaves no marker and a rebuild.
   */
  void closeClean(String tail) throws IOException {
    db.commit();
    db.close();
    Path tmp = dir.resolve(CLEAN_MARKER + ".tmp");
    Files.writeString(tmp, "tail=" + tail + "\n", StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(CLEAN_MARKER), StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(dir);
  }

  /** Closes without the marker (after a failure): the next open rebuilds. */
  @Override
  public void close() {
    if (!db.isClosed()) {
      db.close();
    }
  }

  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
