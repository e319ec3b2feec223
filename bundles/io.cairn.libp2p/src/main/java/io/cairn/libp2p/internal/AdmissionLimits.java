package io.cairn.libp2p.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.node.net.IpPrefix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated limits on inbound connections by source ({@link Admission}). A source's "IP" is an IPv4
 * address or the /56 of an IPv6 one, its "subnet" the /24 or /48 around it (the prefix lengths are keys).
 *
 * @param maxPendingUpgrades inbound connections mid-upgrade at once, all sources together
 * @param exempt networks whose sources the per-IP and per-subnet connection limits do not count
 */
record AdmissionLimits(int maxPendingUpgrades, int maxPendingUpgradesPerIp, int maxPendingUpgradesPerSubnet,
    int maxConnectionsPerIp, int maxConnectionsPerIpv6Subnet, int ipv4SubnetPrefixLength, int ipv6PrefixLength,
    int ipv6SubnetPrefixLength, List<IpPrefix> exempt, Duration refusalLogInterval) {

  AdmissionLimits {
    exempt = List.copyOf(exempt);
  }

  static AdmissionLimits of(HostConfig c) {
    int pending = (int) Configs.inRange("maxPendingUpgrades", c.maxPendingUpgrades(), 0, 100_000);
    int ipv6Prefix = (int) Configs.inRange("ipv6PrefixLength", c.ipv6PrefixLength(), 32, 64);
    int ipv6Subnet = (int) Configs.inRange("ipv6SubnetPrefixLength", c.ipv6SubnetPrefixLength(), 16, 64);
    if (ipv6Subnet > ipv6Prefix) {
      throw new InvalidConfigException("ipv6SubnetPrefixLength", "a subnet (/" + ipv6Subnet
          + ") cannot be narrower than the IP it holds (ipv6PrefixLength /" + ipv6Prefix + ")");
    }
    List<IpPrefix> exempt = new ArrayList<>();
    for (String value : c.connectionLimitExemptNetworks()) {
      for (String part : value.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        try {
          exempt.add(IpPrefix.parse(part.trim()));
        } catch (IllegalArgumentException e) {
          throw new InvalidConfigException("connectionLimitExemptNetworks", e.getMessage());
        }
      }
    }
    return new AdmissionLimits(pending == 0 ? scaledPendingUpgrades(Runtime.getRuntime().maxMemory()) : pending,
        (int) Configs.inRange("maxPendingUpgradesPerIp", c.maxPendingUpgradesPerIp(), 1, 100_000),
        (int) Configs.inRange("maxPendingUpgradesPerSubnet", c.maxPendingUpgradesPerSubnet(), 1, 100_000),
        (int) Configs.inRange("maxConnectionsPerIp", c.maxConnectionsPerIp(), 1, 1_000_000),
        (int) Configs.inRange("maxConnectionsPerIpv6Subnet", c.maxConnectionsPerIpv6Subnet(), 1, 1_000_000),
        (int) Configs.inRange("ipv4SubnetPrefixLength", c.ipv4SubnetPrefixLength(), 8, 32),
        ipv6Prefix, ipv6Subnet, exempt,
        Duration.ofSeconds(Configs.inRange("refusalLogIntervalSeconds", c.refusalLogIntervalSeconds(), 1, 3600)));
  }

  /** The pool never scales below this: the fixed pool it replaced, 8 subnets at their default share of 32. */
  static final int MIN_SCALED_PENDING_UPGRADES = 256;

  /**
   * go-libp2p's transient scope, which holds connections until they are upgraded, allows 32 inbound ones
   * plus 16 per GiB of the memory given to libp2p, none below 128 MiB ({@code limit_defaults.go}:
   * TransientBaseLimit, TransientLimitIncrease, {@code scale}). Ours: the JVM's maximum heap, and never below
   * {@link #MIN_SCALED_PENDING_UPGRADES}: on a 1 GiB heap go-libp2p's 48 would be filled by two /24s each
   * within its per-subnet share, locking every other peer out, which is what the shares are there to prevent.
   */
  static int scaledPendingUpgrades(long maxMemoryBytes) {
    long mebibytes = maxMemoryBytes > 128L << 20 ? Math.min(maxMemoryBytes >> 20, 1L << 30) : 0;
    return (int) Math.max(MIN_SCALED_PENDING_UPGRADES, Math.min(100_000, 32 + (16 * mebibytes >> 10)));
  }
}
