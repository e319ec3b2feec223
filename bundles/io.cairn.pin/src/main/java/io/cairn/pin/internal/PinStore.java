package io.cairn.pin.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.Pinner.Pin;
import io.cairn.pin.PinType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * The recursive and direct pins, in one MapDB B-tree keyed by a type byte then the CID's bytes (so one
 * type is a key range, listed in order without loading it), valued by the max depth and the name. MapDB
 * runs with its write-ahead log here, unlike the block index: pins are few and rare next to puts, and a
 * pin call must be durable when it returns, which each change's {@code commit} makes it. Changes are
 * serialised (MapDB's transaction is one for the whole store); reads run alongside.
 */
final class PinStore implements AutoCloseable {
  /** A stored pin's key: its type and CID. */
  record Key(PinType type, Cid cid) {
  }

  static final String FILE = "pins.mapdb";
  private static final byte RECURSIVE = 'R';
  private static final byte DIRECT = 'D';

  private final DB db;
  private final BTreeMap<byte[], byte[]> pins;

  private PinStore(DB db) {
    this.db = db;
    this.pins = db.treeMap("pins", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
  }

  /** Opens (or creates) the store in {@code dir}. */
  static PinStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    try {
      return new PinStore(DBMaker.fileDB(file.toFile())
          .fileMmapEnableIfSupported()
          .cleanerHackEnable()
          .transactionEnable()
          .make());
    } catch (RuntimeException e) {
      throw new IOException("cannot open the pin store " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte tag(PinType type) {
    return switch (type) {
      case RECURSIVE -> RECURSIVE;
      case DIRECT -> DIRECT;
      case INDIRECT -> throw new IllegalArgumentException("indirect pins are derived, never stored");
    };
  }

  private static byte[] key(PinType type, Cid cid) {
    byte[] c = cid.toBytes();
    byte[] k = new byte[c.length + 1];
    k[0] = tag(type);
    System.arraycopy(c, 0, k, 1, c.length);
    return k;
  }

  private static byte[] value(int maxDepth, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + n.length).putInt(maxDepth).put(n).array();
  }

  private static Pin decode(byte[] key, byte[] value) {
    PinType type = key[0] == RECURSIVE ? PinType.RECURSIVE : PinType.DIRECT;
    Cid cid = Cid.fromBytes(Arrays.copyOfRange(key, 1, key.length));
    int depth = ByteBuffer.wrap(value).getInt();
    return new Pin(cid, type, depth, new String(value, 4, value.length - 4, StandardCharsets.UTF_8), null);
  }

  Optional<Pin> get(PinType type, Cid cid) {
    byte[] k = key(type, cid);
    byte[] v = pins.get(k);
    return v == null ? Optional.empty() : Optional.of(decode(k, v));
  }

  boolean has(PinType type, Cid cid) {
    return pins.containsKey(key(type, cid));
  }

  /** Records {@code pin} (recursive or direct) and removes the pins {@code removed}, in one durable step. */
  synchronized void put(Pin pin, Key... removed) {
    try {
      pins.put(key(pin.type(), pin.cid()), value(pin.maxDepth(), pin.name()));
      for (Key k : removed) {
        pins.remove(key(k.type(), k.cid()));
      }
      db.commit();
    } catch (RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  /** Records many pins in one durable step (an import's roots; the benchmarks' million pins). */
  synchronized void putAll(Iterable<Pin> all) {
    try {
      for (Pin pin : all) {
        pins.put(key(pin.type(), pin.cid()), value(pin.maxDepth(), pin.name()));
      }
      db.commit();
    } catch (RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  /** Removes the pin, durably; true if it was there. */
  synchronized boolean remove(PinType type, Cid cid) {
    try {
      boolean removed = pins.remove(key(type, cid)) != null;
      db.commit();
      return removed;
    } catch (RuntimeException e) {
      db.rollback();
      throw e;
    }
  }

  /** The pins of {@code type} in key order, read from the B-tree as the stream is consumed. */
  Stream<Pin> stream(PinType type) {
    byte t = tag(type);
    ConcurrentNavigableMap<byte[], byte[]> range = pins.subMap(new byte[] {t}, true, new byte[] {(byte) (t + 1)}, false);
    Iterator<Map.Entry<byte[], byte[]>> it = range.entrySet().iterator();
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new Iterator<Pin>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Pin next() {
        Map.Entry<byte[], byte[]> e = it.next();
        return decode(e.getKey(), e.getValue());
      }
    }, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** The raw entries of {@code type}, undecoded (the listing benchmark's baseline). */
  Iterator<Map.Entry<byte[], byte[]>> rawEntries(PinType type) {
    byte t = tag(type);
    return pins.subMap(new byte[] {t}, true, new byte[] {(byte) (t + 1)}, false).entrySet().iterator();
  }

  long count(PinType type) {
    byte t = tag(type);
    return pins.subMap(new byte[] {t}, true, new byte[] {(byte) (t + 1)}, false).size();
  }

  @Override
  public synchronized void close() {
    if (!db.isClosed()) {
      db.close();
    }
  }
}
