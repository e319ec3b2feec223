package io.cairn.bitswap.spi;

/**
 * A {@link BatchRequestProcessor}'s answer for one peer.
 *
 * @param size the most wants the peer's next turn takes (at least 1)
 * @param holdNanos how much longer to hold the peer for more wants before its turn; 0: no hold
 * @param together look the turn's wants up together: one {@code getSizes} pass, then one
 *     {@code getMany} for the blocks that fit the peer's byte budget (false: one lookup per want, as boxo)
 * @param flush why the turn goes now (meaningful when {@code holdNanos} is 0; the engine records
 *     {@link BatchFlush#TIMEOUT} itself when a hold runs out)
 */
public record Batch(int size, long holdNanos, boolean together, BatchFlush flush) {
  public Batch {
    if (size < 1 || holdNanos < 0 || flush == null) {
      throw new IllegalArgumentException("batch size must be positive, hold not negative, flush given: "
          + size + ", " + holdNanos + ", " + flush);
    }
  }
}
