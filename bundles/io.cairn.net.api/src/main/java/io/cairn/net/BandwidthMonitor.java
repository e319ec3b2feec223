package io.cairn.net;

import io.cairn.multiformats.PeerId;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Counts the bytes libp2p streams carry, each way, in total, per peer and per protocol, with their rates
 * (Kubo's bandwidth counter, {@code stats/bw}). Stream payload is counted, not the security and muxer
 * framing around it, as Kubo counts. A peer or protocol idle for a while is forgotten, so the maps stay
 * bounded by what is active.
 */
@ProviderType
public interface BandwidthMonitor {
  /** Everything since start. */
  Bandwidth total();

  /** One peer's, if it has been active lately. */
  Optional<Bandwidth> peer(PeerId peer);

  /** One protocol's ({@code /ipfs/bitswap/1.2.0}), if it has been active lately. */
  Optional<Bandwidth> protocol(String protocol);

  /** Every recently active peer's. */
  Map<PeerId, Bandwidth> peers();

  /** Every recently active protocol's. */
  Map<String, Bandwidth> protocols();
}
