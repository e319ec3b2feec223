package io.cairn.bitswap;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.PeerId;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Serves peers' wantlists from the blockstore (boxo's decision engine): a ledger and a capped
 * wantlist per peer, a task queue fair between peers, and bounded bytes in flight to each.
 */
@ProviderType
public interface BitswapEngine {
  /** Peers with a ledger (connected bitswap peers), with what was exchanged. */
  List<LedgerEntry> ledgers();

  Optional<LedgerEntry> ledger(PeerId peer);

  /** What a peer wants from us now, highest priority first. */
  List<Want> wantlist(PeerId peer);

  /** Blocks that arrived (fetched or added): peers that want them are served. */
  void notifyNewBlocks(List<Block> blocks);

  ServerStats stats();

  /** The strategies and limits in use now, the want classes and the degradation counts (since 1.1). */
  EngineStatus status();
}
