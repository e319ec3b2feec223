package io.cairn.net;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Kubo's peering: peers the node stays connected to whatever happens, as ipfs-cluster's production guide
 * has its daemons peer with each other. A peering peer is dialled, redialled with exponential backoff and
 * jitter whenever its connection drops, and protected from the connection manager's trims. The configured
 * peers come from ConfigAdmin; {@link #add} and {@link #remove} change the running set only (Kubo's
 * {@code swarm/peering/add|rm} do not save to the config either).
 */
@ProviderType
public interface Peering {
  /** The connection manager tag that protects peering peers (Kubo's {@code ipfs-peering}). */
  String PROTECT_TAG = "ipfs-peering";

  /** Peers with {@code addresses} (each without or with this peer's {@code /p2p/}); replaces what was known of it. */
  void add(PeerId peer, List<Multiaddr> addresses);

  /** Stops peering with {@code peer}; answers whether it was a peering peer. Its connection is left as it is. */
  boolean remove(PeerId peer);

  /** The peering peers and their addresses. */
  Map<PeerId, List<Multiaddr>> peers();
}
