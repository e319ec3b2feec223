package io.cairn.bitswap.spi;

/**
 * Where a peer goes in the engine's ready queue: lower {@code tier} first, then lower
 * {@code tieBreak}; peers equal in both go in the order they joined the queue (first come, first served).
 */
public record PeerRank(int tier, long tieBreak) implements Comparable<PeerRank> {
  /** Every peer equal: the ready queue is first come, first served (today's round robin). */
  public static final PeerRank FIFO = new PeerRank(0, 0);

  @Override
  public int compareTo(PeerRank o) {
    int c = Integer.compare(tier, o.tier);
    return c != 0 ? c : Long.compare(tieBreak, o.tieBreak);
  }
}
