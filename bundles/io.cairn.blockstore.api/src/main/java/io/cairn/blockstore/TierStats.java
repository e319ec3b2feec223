package io.cairn.blockstore;

/**
 * One tier's state now: blocks held, bytes they take in the tier ({@code usedBytes}, what counts
 * against {@code capacityBytes}) and their original size ({@code blockBytes}, less than used only when
 * compressed), and the tier's read hits and misses since start.
 */
public record TierStats(String tier, long blocks, long usedBytes, long blockBytes, long capacityBytes,
    long hits, long misses) {
  /** Hits over lookups, 0 when there were none. */
  public double hitRate() {
    long lookups = hits + misses;
    return lookups == 0 ? 0 : (double) hits / lookups;
  }

  /** Used bytes over block bytes: below 1 when compression saves space, 1 when the tier is empty. */
  public double compressionRatio() {
    return blockBytes == 0 ? 1 : (double) usedBytes / blockBytes;
  }
}
