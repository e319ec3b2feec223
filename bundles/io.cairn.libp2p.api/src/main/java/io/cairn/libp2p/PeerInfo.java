package io.cairn.libp2p;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import java.util.List;
import java.util.Set;

/** What a peer said about itself in identify. */
public record PeerInfo(PeerId peer, String agentVersion, String protocolVersion, Set<String> protocols,
    List<Multiaddr> listenAddresses, Multiaddr observedAddress) {
  public PeerInfo {
    protocols = Set.copyOf(protocols);
    listenAddresses = List.copyOf(listenAddresses);
  }
}
