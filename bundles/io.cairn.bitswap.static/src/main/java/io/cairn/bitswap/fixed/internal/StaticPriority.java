package io.cairn.bitswap.fixed.internal;

import io.cairn.bitswap.spi.PeerRank;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.bitswap.spi.WantPriorityOrder;
import io.cairn.bitswap.spi.WantRequest;
import org.osgi.service.component.annotations.Component;

/**
 * Boxo's order as a strategy service ({@code cairn.strategy=static}, ranking 0): every want normal,
 * the peer's priority then arrival, no promotion, peers in turn ({@link WantPriorityOrder}).
 */
@Component(property = {PriorityRequestManager.STRATEGY + "=static", "service.ranking:Integer=0"})
public class StaticPriority implements PriorityRequestManager {
  private final PriorityRequestManager order = WantPriorityOrder.INSTANCE;

  @Override
  public WantClass classify(WantRequest want) {
    return order.classify(want);
  }

  @Override
  public long order(WantRequest want) {
    return order.order(want);
  }

  @Override
  public WantClass promote(WantClass current, long waitedNanos) {
    return order.promote(current, waitedNanos);
  }

  @Override
  public PeerRank rank(PeerTurn peer) {
    return order.rank(peer);
  }
}
