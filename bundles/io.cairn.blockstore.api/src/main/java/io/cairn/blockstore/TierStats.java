package io.cairn.blockstore;

/** One tier's state now: blocks held, bytes used of its capacity, and its read hit rate since start. */
public record TierStats(String tier, long blocks, long usedBytes, long capacityBytes, long hits, long misses) {
  /** Hits over lookups, 0 when there were none. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }
}
