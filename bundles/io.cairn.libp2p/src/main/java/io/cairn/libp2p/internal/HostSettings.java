package io.cairn.libp2p.internal;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.MultiformatException;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The validated, immutable form of {@link HostConfig}. */
record HostSettings(List<Multiaddr> listen, List<Multiaddr> announce, int ioThreads, int maxConnections,
    int maxConnectionsPerPeer, AdmissionLimits admission, Duration dialTimeout, Duration upgradeTimeout,
    MultistreamLimits connectionNegotiation, MultistreamLimits streamNegotiation, int maxIdentifyMessage) {

  /** {@code swarmOverride}: the framework property cairn.swarm.address, which wins over the config for one run. */
  static HostSettings of(HostConfig c, String swarmOverride) {
    List<Multiaddr> listen = swarmOverride == null || swarmOverride.isBlank()
        ? addresses("listenAddresses", c.listenAddresses(), true)
        : addresses("listenAddresses", swarmOverride.split(","), true);
    if (listen.isEmpty()) {
      throw new InvalidConfigException("listenAddresses", "at least one address is needed");
    }
    int maxMessage = (int) Configs.inRange("maxMultistreamMessage", c.maxMultistreamMessage(), 64, 65535);
    int maxProposals = (int) Configs.inRange("maxMultistreamProposals", c.maxMultistreamProposals(), 1, 1024);
    Duration upgrade = Duration.ofMillis(Configs.inRange("upgradeTimeoutMillis", c.upgradeTimeoutMillis(), 100, 600_000));
    Duration negotiation = Duration.ofMillis(Configs.inRange("negotiationTimeoutMillis", c.negotiationTimeoutMillis(), 100, 600_000));
    return new HostSettings(listen, addresses("announceAddresses", c.announceAddresses(), false),
        (int) Configs.inRange("ioThreads", c.ioThreads(), 0, 256),
        (int) Configs.inRange("maxConnections", c.maxConnections(), 1, 1_000_000),
        (int) Configs.inRange("maxConnectionsPerPeer", c.maxConnectionsPerPeer(), 1, 1_000_000),
        AdmissionLimits.of(c),
        Duration.ofMillis(Configs.inRange("dialTimeoutMillis", c.dialTimeoutMillis(), 100, 600_000)),
        upgrade,
        new MultistreamLimits(maxMessage, maxProposals, upgrade),
        new MultistreamLimits(maxMessage, maxProposals, negotiation),
        (int) Configs.inRange("maxIdentifyMessage", c.maxIdentifyMessage(), 512, 1_048_576));
  }

  private static List<Multiaddr> addresses(String key, String[] values, boolean listenable) {
    List<Multiaddr> result = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        Multiaddr a;
        try {
          a = Multiaddr.parse(part.trim());
        } catch (MultiformatException e) {
          throw new InvalidConfigException(key, "'" + part.trim() + "' is not a multiaddr: " + e.getMessage());
        }
        if (listenable && (a.tcpPort().isEmpty() || a.host().isEmpty())) {
          throw new InvalidConfigException(key, "'" + a + "' is not a TCP address to listen on (/ip4|ip6/<addr>/tcp/<port>)");
        }
        result.add(a);
      }
    }
    return List.copyOf(result);
  }
}
