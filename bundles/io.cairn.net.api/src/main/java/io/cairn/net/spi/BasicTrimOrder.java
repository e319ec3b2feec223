package io.cairn.net.spi;

import java.util.Comparator;

/**
 * go-libp2p's trim order ({@code BasicConnMgr}'s {@code SortByValueAndStreams}): lowest tag value first;
 * at equal value a peer with no stream open before one with streams, then a peer that dialled us before
 * one we dialled, then fewer streams first. The connection manager's built-in order (when no
 * {@link TrimOrder} service works) and the tie-break of orders that weigh more than tags.
 */
public final class BasicTrimOrder implements TrimOrder {
  public static final BasicTrimOrder INSTANCE = new BasicTrimOrder();

  /** Everything after the value: idle first, inbound first, fewer streams first. */
  public static final Comparator<TrimCandidate> TIES = Comparator
      .comparing((TrimCandidate c) -> c.streams() > 0)
      .thenComparing(c -> !c.inbound())
      .thenComparingInt(TrimCandidate::streams);

  private static final Comparator<TrimCandidate> ORDER = Comparator.comparingInt(TrimCandidate::value).thenComparing(TIES);

  private BasicTrimOrder() {}

  @Override
  public Comparator<TrimCandidate> order() {
    return ORDER;
  }
}
