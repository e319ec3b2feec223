package io.cairn.net.peering.internal;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The validated {@link PeeringConfig}: the configured peers with their addresses (without /p2p/), and the backoff. */
record PeeringSettings(Map<PeerId, List<Multiaddr>> peers, Duration initialBackoff, Duration maxBackoff) {
  static PeeringSettings of(PeeringConfig c) {
    Map<PeerId, List<Multiaddr>> peers = new LinkedHashMap<>();
    for (String value : c.peers()) {
      for (String text : value.split(",")) {
        if (text.isBlank()) {
          continue;
        }
        Multiaddr address;
        try {
          address = Multiaddr.parse(text.trim());
        } catch (MultiformatException e) {
          throw new InvalidConfigException("peers", "\"" + text.trim() + "\" is not a multiaddr: " + e.getMessage());
        }
        PeerId peer = address.peerId().orElseThrow(
            () -> new InvalidConfigException("peers", "\"" + text.trim() + "\" has no /p2p/<peer id>"));
        peers.computeIfAbsent(peer, p -> new ArrayList<>()).add(address.withoutPeerId());
      }
    }
    long initial = Configs.inRange("initialBackoffSeconds", c.initialBackoffSeconds(), 1, 3600);
    long max = Configs.inRange("maxBackoffSeconds", c.maxBackoffSeconds(), 1, 86_400);
    if (max < initial) {
      throw new InvalidConfigException("maxBackoffSeconds", max + " is below initialBackoffSeconds (" + initial + ")");
    }
    return new PeeringSettings(Map.copyOf(peers), Duration.ofSeconds(initial), Duration.ofSeconds(max));
  }
}
