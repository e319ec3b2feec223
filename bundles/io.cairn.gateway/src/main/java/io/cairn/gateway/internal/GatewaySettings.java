package io.cairn.gateway.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.time.Duration;

/** The validated form of {@link GatewayConfig}. */
record GatewaySettings(String host, int port, int maxConnections, int maxConnectionsPerAddress,
    int maxConnectionsPerIpv6Subnet, Duration refusalLogInterval, Duration headerTimeout,
    int unixfsThreads, int maxQueuedUnixfsRequests, int prefetchBlocks, int maxRequestLineBytes, int maxHeaderBytes,
    Duration idleTimeout, Duration rootTimeout, Duration blockTimeout) {
  /**
   * @param addressOverride the framework property {@value GatewayServer#ADDRESS_PROPERTY} ({@code HOST:PORT},
   *     from {@code --gateway-address} or {@code CAIRN_GATEWAY_ADDRESS}), which wins over host and port for
   *     one run; null when not set
   */
  static GatewaySettings of(GatewayConfig c, String addressOverride) {
    String host = c.host() == null ? "" : c.host().trim();
    long port = c.port();
    if (addressOverride != null && !addressOverride.isBlank()) {
      int colon = addressOverride.lastIndexOf(':');
      try {
        host = addressOverride.substring(0, Math.max(colon, 0)).replace("[", "").replace("]", "");
        port = Long.parseLong(addressOverride.substring(colon + 1));
      } catch (RuntimeException e) {
        throw new InvalidConfigException(GatewayServer.ADDRESS_PROPERTY, "'" + addressOverride + "' is not HOST:PORT");
      }
    }
    if (host.isEmpty()) {
      throw new InvalidConfigException("host", "must name an address to listen on, such as 127.0.0.1");
    }
    return new GatewaySettings(host, (int) Configs.inRange("port", port, 0, 65_535),
        (int) Configs.inRange("maxConnections", c.maxConnections(), 1, 1_000_000),
        (int) Configs.inRange("maxConnectionsPerAddress", c.maxConnectionsPerAddress(), 1, 1_000_000),
        (int) Configs.inRange("maxConnectionsPerIpv6Subnet", c.maxConnectionsPerIpv6Subnet(), 1, 1_000_000),
        Duration.ofSeconds(Configs.inRange("refusalLogIntervalSeconds", c.refusalLogIntervalSeconds(), 1, 3600)),
        Duration.ofMillis(Configs.inRange("headerTimeoutMillis", c.headerTimeoutMillis(), 100, 3_600_000)),
        (int) Configs.inRange("unixfsThreads", c.unixfsThreads(), 1, 1024),
        (int) Configs.inRange("maxQueuedUnixfsRequests", c.maxQueuedUnixfsRequests(), 0, 1_000_000),
        (int) Configs.inRange("prefetchBlocks", c.prefetchBlocks(), 1, 256),
        (int) Configs.inRange("maxRequestLineBytes", c.maxRequestLineBytes(), 256, 65_536),
        (int) Configs.inRange("maxHeaderBytes", c.maxHeaderBytes(), 256, 1 << 20),
        Duration.ofMillis(Configs.inRange("idleTimeoutMillis", c.idleTimeoutMillis(), 1000, 86_400_000)),
        Duration.ofMillis(Configs.inRange("rootTimeoutMillis", c.rootTimeoutMillis(), 1, 86_400_000)),
        Duration.ofMillis(Configs.inRange("blockTimeoutMillis", c.blockTimeoutMillis(), 1, 86_400_000)));
  }

  /** Whether the listening socket must be opened anew to apply {@code next}. */
  boolean needsRebind(GatewaySettings next) {
    return !host.equals(next.host) || port != next.port;
  }

  /** Whether the UnixFS pool must be made anew to apply {@code next}. */
  boolean needsNewPool(GatewaySettings next) {
    return unixfsThreads != next.unixfsThreads || maxQueuedUnixfsRequests != next.maxQueuedUnixfsRequests;
  }
}
