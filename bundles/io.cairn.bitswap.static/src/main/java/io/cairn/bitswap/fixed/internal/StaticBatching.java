package io.cairn.bitswap.fixed.internal;

import io.cairn.bitswap.spi.Batch;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.NoBatching;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import org.osgi.service.component.annotations.Component;

/**
 * Boxo's engine, unbatched, as a strategy service ({@code cairn.strategy=static}, ranking 0): a peer's
 * turn goes as soon as it has wants, takes the engine's {@code maxTasksPerEnvelope} and looks each want
 * up on its own ({@link NoBatching}).
 */
@Component(property = {PriorityRequestManager.STRATEGY + "=static", "service.ranking:Integer=0"})
public class StaticBatching implements BatchRequestProcessor {
  @Override
  public Batch plan(PeerTurn peer, long waitedNanos, int turnSize) {
    return NoBatching.INSTANCE.plan(peer, waitedNanos, turnSize);
  }
}
