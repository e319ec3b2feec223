package io.cairn.node;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the node announces on the network, for operator surfaces ({@code /api/v0/id}) that should not
 * depend on the network stack itself. Provided by the libp2p host while it runs.
 */
@ProviderType
public interface NodeNetwork {
  /** The addresses peers can dial, as multiaddr strings with {@code /p2p/<peer id>}. */
  List<String> announcedAddresses();

  /** The stream protocols served now. */
  Set<String> protocols();

  /**
   * The multiaddrs the swarm is set to listen on, as set (wildcard hosts and port 0 kept): Kubo's
   * {@code Addresses.Swarm}; what peers are told to dial is {@link #announcedAddresses()}.
   *
   * @since 1.1
   */
  List<String> swarmAddresses();
}
