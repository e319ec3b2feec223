package io.cairn.rpc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's settings as a Kubo config document ({@code config/show}), with Kubo's keys where Cairn has
 * the same setting. ipfs-cluster reads {@code Datastore.StorageMax} from it (a size string it parses with
 * go-humanize) for its free-space informer, as {@code repo/stat}'s {@code StorageMax} in bytes. The
 * identity is the peer id only: the private key never leaves the node's identity service.
 */
final class NodeConfig {
  /** Kubo's default GC period: Cairn's GC runs when asked ({@code repo/gc}), so this is what Kubo would say. */
  static final String GC_PERIOD = "1h";
  /** Kubo's StorageGCWatermark default (percent of StorageMax). */
  static final int STORAGE_GC_WATERMARK = 90;
  static final String DEFAULT_API = "127.0.0.1:5001";
  static final String DEFAULT_GATEWAY = "127.0.0.1:8080";

  private NodeConfig() {}

  /** The inputs: what the commands gather from the services and the framework. */
  record Facts(long storageMaxBytes, String peerId, String apiAddress, String gatewayAddress, List<String> swarm) {}

  static Map<String, Object> document(Facts f) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("PeerID", f.peerId());
    Map<String, Object> datastore = new LinkedHashMap<>();
    datastore.put("StorageMax", size(f.storageMaxBytes()));
    datastore.put("StorageGCWatermark", STORAGE_GC_WATERMARK);
    datastore.put("GCPeriod", GC_PERIOD);
    Map<String, Object> addresses = new LinkedHashMap<>();
    addresses.put("API", multiaddr(f.apiAddress()));
    addresses.put("Gateway", multiaddr(f.gatewayAddress()));
    addresses.put("Swarm", List.copyOf(f.swarm()));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Identity", identity);
    config.put("Datastore", datastore);
    config.put("Addresses", addresses);
    return config;
  }

  /**
   * The value at a dotted key ({@code Datastore.StorageMax}), as Kubo's {@code config <key>}.
   *
   * @throws IllegalArgumentException naming the part of the key that is not there
   */
  static Object lookup(Map<String, Object> document, String key) {
    Object at = document;
    List<String> walked = new ArrayList<>();
    for (String part : key.split("\\.", -1)) {
      if (!(at instanceof Map<?, ?> map) || !map.containsKey(part)) {
        throw new IllegalArgumentException("failed to get config value: key has no attribute " + part
            + (walked.isEmpty() ? "" : " (in " + String.join(".", walked) + ")"));
      }
      walked.add(part);
      at = map.get(part);
    }
    return at;
  }

  /**
   * Bytes as a Kubo size string that go-humanize parses back to exactly that many: the largest decimal
   * (GB, MB, kB) or binary (GiB, MiB, KiB) unit that divides it, else plain bytes ({@code "123B"}).
   */
  static String size(long bytes) {
    String[] names = {"TB", "TiB", "GB", "GiB", "MB", "MiB", "kB", "KiB"};
    long[] units = {1_000_000_000_000L, 1L << 40, 1_000_000_000L, 1L << 30, 1_000_000L, 1L << 20, 1_000L, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes > 0 && bytes % units[i] == 0) {
        return bytes / units[i] + names[i];
      }
    }
    return bytes + "B";
  }

  /**
   * {@code host:port} (as {@code cairn.api.address} is written) as Kubo's multiaddr: {@code /ip4/...},
   * {@code /ip6/...} for a bracketed address, {@code /dns/...} for a name. A value that is already a
   * multiaddr is kept.
   */
  static String multiaddr(String hostPort) {
    String s = hostPort.trim();
    if (s.startsWith("/")) {
      return s;
    }
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not host:port: \"" + hostPort + "\"");
    }
    String host = s.substring(0, colon);
    String port = s.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      return "/ip6/" + host.substring(1, host.length() - 1) + "/tcp/" + port;
    }
    return (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? "/ip4/" : "/dns/") + host + "/tcp/" + port;
  }
}
