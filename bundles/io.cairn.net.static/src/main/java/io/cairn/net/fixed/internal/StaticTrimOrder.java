package io.cairn.net.fixed.internal;

import io.cairn.net.spi.BasicTrimOrder;
import io.cairn.net.spi.TrimCandidate;
import io.cairn.net.spi.TrimOrder;
import java.util.Comparator;
import org.osgi.service.component.annotations.Component;

/** go-libp2p's trim order ({@link BasicTrimOrder}: tag value, then idle, inbound, fewer streams) as a strategy service. */
@Component(property = TrimOrder.STRATEGY + "=static")
public class StaticTrimOrder implements TrimOrder {
  @Override
  public Comparator<TrimCandidate> order() {
    return BasicTrimOrder.INSTANCE.order();
  }
}
