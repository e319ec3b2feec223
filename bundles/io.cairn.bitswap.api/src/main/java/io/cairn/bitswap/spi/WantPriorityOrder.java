package io.cairn.bitswap.spi;

/**
 * Boxo's order (go-peertaskqueue with the engine's task comparator before boxo#1143): every want is
 * {@link WantClass#NORMAL}, a peer's wants go by the priority the peer gave them and then by arrival,
 * nothing is promoted, and peers take turns in the order they became ready (round robin). The static
 * strategy serves this; the engine falls back to it when no strategy works.
 */
public final class WantPriorityOrder implements PriorityRequestManager {
  public static final WantPriorityOrder INSTANCE = new WantPriorityOrder();

  private WantPriorityOrder() {}

  @Override
  public WantClass classify(WantRequest want) {
    return WantClass.NORMAL;
  }

  @Override
  public long order(WantRequest want) {
    return -(long) want.priority();
  }

  @Override
  public WantClass promote(WantClass current, long waitedNanos) {
    return current;
  }

  @Override
  public PeerRank rank(PeerTurn peer) {
    return PeerRank.FIFO;
  }
}
