package io.cairn.libp2p.internal;

import io.cairn.node.net.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which inbound connections the host takes, by source, before it reads a byte of them. go-libp2p's
 * resource manager counts every connection of an IP from accept to close ({@code conn_limiter.go},
 * ConnLimitPerSubnet: 8 per IPv4 /32 and IPv6 /56, 64 per IPv6 /48) and holds connections being upgraded in
 * one transient scope. One shared pool of pending upgrades let a single address fill it with idle TCP
 * connections and lock every peer out; here each IP and each subnet also has its share of that pool, so a
 * source that floods the port only ever waits on its own share.
 *
 * <p>Loopback: go-libp2p exempts it from everything. Here it is exempt (by default; the networks are a key)
 * only from the connection limits, so several nodes on one machine still connect freely; its pending
 * shares apply like anyone's, because an idle flood from a local process takes the pool just as well, and
 * 8 handshakes at once from one address is plenty for a peer that completes them.
 *
 * <p>Thread-safe: connections are admitted and released on several event loops.
 */
final class Admission {
  /** The limit that refused a connection: its config key, and the resource manager scope it stands for. */
  enum Limit {
    MAX_CONNECTIONS("maxConnections", "system"),
    MAX_PENDING_UPGRADES("maxPendingUpgrades", "transient"),
    MAX_PENDING_UPGRADES_PER_IP("maxPendingUpgradesPerIp", "transient"),
    MAX_PENDING_UPGRADES_PER_SUBNET("maxPendingUpgradesPerSubnet", "transient"),
    MAX_CONNECTIONS_PER_IP("maxConnectionsPerIp", "system"),
    MAX_CONNECTIONS_PER_IPV6_SUBNET("maxConnectionsPerIpv6Subnet", "system"),
    MAX_CONNECTIONS_PER_PEER("maxConnectionsPerPeer", "peer"),
    /** An {@link io.cairn.libp2p.InboundGate} refused it; its reason names its own key. */
    INBOUND_GATE("inboundGate", "system");

    final String key;
    final String scope;

    Limit(String key, String scope) {
      this.key = key;
      this.scope = scope;
    }
  }

  /** What {@link #admit} decides. */
  sealed interface Verdict permits Ticket, Refusal {}

  /** Refused: by {@code limit}, {@code detail} saying how far the source is into it. */
  record Refusal(Limit limit, String detail) implements Verdict {}

  /** pending, connections */
  private final Map<IpPrefix, int[]> byIp = new HashMap<>();
  private final Map<IpPrefix, int[]> bySubnet = new HashMap<>();
  private int pending;

  /**
   * Admits a connection from {@code source} under {@code limits}, or says which limit refuses it. The
   * prefixes a ticket counts under are kept in it, so a change of prefix lengths meanwhile releases the same.
   */
  synchronized Verdict admit(InetAddress source, AdmissionLimits limits) {
    if (pending >= limits.maxPendingUpgrades()) {
      return new Refusal(Limit.MAX_PENDING_UPGRADES, pending + " upgrades pending from all sources");
    }
    boolean v6 = source instanceof Inet6Address;
    IpPrefix ip = IpPrefix.of(source, v6 ? limits.ipv6PrefixLength() : 32);
    IpPrefix subnet = IpPrefix.of(source, v6 ? limits.ipv6SubnetPrefixLength() : limits.ipv4SubnetPrefixLength());
    int[] atIp = byIp.getOrDefault(ip, new int[2]);
    int[] atSubnet = bySubnet.getOrDefault(subnet, new int[2]);
    if (atIp[0] >= limits.maxPendingUpgradesPerIp()) {
      return new Refusal(Limit.MAX_PENDING_UPGRADES_PER_IP, atIp[0] + " upgrades pending from " + ip);
    }
    if (atSubnet[0] >= limits.maxPendingUpgradesPerSubnet()) {
      return new Refusal(Limit.MAX_PENDING_UPGRADES_PER_SUBNET, atSubnet[0] + " upgrades pending from " + subnet);
    }
    boolean counted = limits.exempt().stream().noneMatch(n -> n.contains(source));
    if (counted && atIp[1] >= limits.maxConnectionsPerIp()) {
      return new Refusal(Limit.MAX_CONNECTIONS_PER_IP, atIp[1] + " connections from " + ip);
    }
    if (counted && v6 && atSubnet[1] >= limits.maxConnectionsPerIpv6Subnet()) {
      return new Refusal(Limit.MAX_CONNECTIONS_PER_IPV6_SUBNET, atSubnet[1] + " connections from " + subnet);
    }
    pending++;
    add(byIp, ip, 1, counted ? 1 : 0);
    add(bySubnet, subnet, 1, counted ? 1 : 0);
    return new Ticket(ip, subnet, counted);
  }

  /** Inbound connections mid-upgrade now. */
  synchronized int pending() {
    return pending;
  }

  /** Sources (IPs) with a connection admitted and not yet closed. */
  synchronized int sources() {
    return byIp.size();
  }

  private static void add(Map<IpPrefix, int[]> counts, IpPrefix key, int pendingDelta, int connectionDelta) {
    int[] c = counts.computeIfAbsent(key, k -> new int[2]);
    c[0] += pendingDelta;
    c[1] += connectionDelta;
    if (c[0] == 0 && c[1] == 0) {
      counts.remove(key);
    }
  }

  /** An admitted connection. Its upgrade ends once and it closes once; repeats are ignored. */
  final class Ticket implements Verdict {
    private final IpPrefix ip;
    private final IpPrefix subnet;
    private final boolean counted;
    private boolean upgrading = true;
    private boolean open = true;

    private Ticket(IpPrefix ip, IpPrefix subnet, boolean counted) {
      this.ip = ip;
      this.subnet = subnet;
      this.counted = counted;
    }

    /** The upgrade succeeded or failed: the connection no longer takes a pending place. */
    void upgradeEnded() {
      synchronized (Admission.this) {
        if (upgrading) {
          upgrading = false;
          pending--;
          add(byIp, ip, -1, 0);
          add(bySubnet, subnet, -1, 0);
        }
      }
    }

    /** The connection closed, at whatever stage. */
    void closed() {
      synchronized (Admission.this) {
        upgradeEnded();
        if (open) {
          open = false;
          add(byIp, ip, 0, counted ? -1 : 0);
          add(bySubnet, subnet, 0, counted ? -1 : 0);
        }
      }
    }
  }
}
