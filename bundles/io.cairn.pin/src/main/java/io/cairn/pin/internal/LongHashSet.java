package io.cairn.pin.internal;

/**
 * A set of non-zero longs in one open-addressed array (linear probing, grown at half full): 8 to 16 bytes
 * per member and no object per member. Not thread-safe; its owner locks.
 */
final class LongHashSet {
  private long[] slots;
  private int size;

  LongHashSet(int initialCapacity) {
    slots = new long[Math.max(16, Integer.highestOneBit(Math.max(1, initialCapacity) * 2 - 1) << 1)];
  }

  /** Adds {@code v} (non-zero); true if it was not there. */
  boolean add(long v) {
    if (insert(slots, v)) {
      if (++size * 2 > slots.length) {
        grow();
      }
      return true;
    }
    return false;
  }

  boolean contains(long v) {
    int mask = slots.length - 1;
    for (int i = index(v, mask); ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == v) {
        return true;
      }
      if (s == 0) {
        return false;
      }
    }
  }

  int size() {
    return size;
  }

  private static boolean insert(long[] table, long v) {
    int mask = table.length - 1;
    for (int i = index(v, mask); ; i = (i + 1) & mask) {
      long s = table[i];
      if (s == v) {
        return false;
      }
      if (s == 0) {
        table[i] = v;
        return true;
      }
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (long v : slots) {
      if (v != 0) {
        insert(bigger, v);
      }
    }
    slots = bigger;
  }

  /** Fingerprints are mixed already; the low bits index (the high bits choose the stripe). */
  private static int index(long v, int mask) {
    return (int) v & mask;
  }
}
