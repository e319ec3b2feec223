package io.cairn.dag.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;

/**
 * The CIDs a walk has met, as 128-bit keys in one open-addressing array of longs: 16 bytes a CID (at most
 * 32 with the table's slack) and no object per CID, so a walk of a million blocks holds tens of megabytes
 * rather than hundreds. The key of a CID with a cryptographic digest of 16 bytes or more is the digest's
 * first 128 bits with its version and codec mixed in (a CIDv0, and the CIDv1 of the same hash under another
 * codec, are other CIDs); any other CID is hashed whole. Two CIDs share a key only if they share 128 bits
 * of a cryptographic digest. One thread at a time.
 */
final class VisitedSet {
  private static final int MIN_DIGEST_BYTES = 16;
  private static final long IDENTITY = Multicodec.IDENTITY.code();

  /** Key pairs: [2i] and [2i + 1]; (0, 0) marks an empty slot. */
  private long[] table;
  private int mask;
  private int size;
  /** The key of the CID at hand (one thread at a time: no allocation per call). */
  private long k1;
  private long k2;

  VisitedSet() {
    this(1024);
  }

  VisitedSet(int expected) {
    int slots = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    table = new long[2 * slots];
    mask = slots - 1;
  }

  /** Adds the CID; true if it was not there. */
  boolean add(Cid cid) {
    key(cid);
    if (!insert(table, mask, k1, k2)) {
      return false;
    }
    if (++size > (mask + 1) / 4 * 3) {
      grow();
    }
    return true;
  }

  boolean contains(Cid cid) {
    key(cid);
    for (int i = (int) k1 & mask; ; i = (i + 1) & mask) {
      long a = table[2 * i];
      long b = table[2 * i + 1];
      if (a == k1 && b == k2) {
        return true;
      }
      if (a == 0 && b == 0) {
        return false;
      }
    }
  }

  int size() {
    return size;
  }

  /** Bytes the table holds, for tests and benchmarks of its footprint. */
  long footprintBytes() {
    return 8L * table.length;
  }

  private static boolean insert(long[] table, int mask, long k1, long k2) {
    for (int i = (int) k1 & mask; ; i = (i + 1) & mask) {
      long a = table[2 * i];
      long b = table[2 * i + 1];
      if (a == k1 && b == k2) {
        return false;
      }
      if (a == 0 && b == 0) {
        table[2 * i] = k1;
        table[2 * i + 1] = k2;
        return true;
      }
    }
  }

  private void grow() {
    int slots = (mask + 1) * 2;
    long[] next = new long[2 * slots];
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != 0 || table[i + 1] != 0) {
        insert(next, slots - 1, table[i], table[i + 1]);
      }
    }
    table = next;
    mask = slots - 1;
  }

  /** Sets {@link #k1} and {@link #k2} to the CID's key; one digest copy. */
  private void key(Cid cid) {
    Multihash mh = cid.multihash();
    if (mh.code() != IDENTITY && mh.digestLength() >= MIN_DIGEST_BYTES) {
      byte[] digest = mh.digest();
      k1 = readLong(digest, 0);
      k2 = readLong(digest, 8) ^ mix(cid.codec() * 31 + cid.version() + k1);
    } else {
      byte[] bytes = cid.toBytes();
      k1 = mix(hash(bytes, 0x9E3779B97F4A7C15L));
      k2 = mix(hash(bytes, 0xC2B2AE3D27D4EB4FL));
    }
    if (k1 == 0 && k2 == 0) {
      k1 = 1;
    }
  }

  private static long readLong(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[offset + i] & 0xFF);
    }
    return v;
  }

  private static long hash(byte[] bytes, long seed) {
    long h = seed;
    for (byte b : bytes) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
    }
    return h ^ bytes.length;
  }

  /** The splitmix64 finaliser: spreads every input bit over the result. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
