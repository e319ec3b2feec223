package io.cairn.gateway.internal;

import io.cairn.node.net.IpPrefix;
import io.cairn.node.net.RefusalLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Admits connections within {@code maxConnections} in all, {@code maxConnectionsPerAddress} from one client
 * address and {@code maxConnectionsPerIpv6Subnet} from one IPv6 /48, so that one client opening connections
 * and holding them (slowly sending, or idle) cannot lock everyone else out: it runs into its own share first.
 * An IPv6 client is counted by its /64, since a host can take any address in it, and its /48, since a site
 * is commonly given one. A connection over a limit is answered 503 as it is accepted and closed; refusals are
 * logged at WARN, one line per limit per {@code refusalLogIntervalSeconds}. First in the pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionLimits extends ChannelInboundHandlerAdapter {
  static final int IPV6_ADDRESS_BITS = 64;
  static final int IPV6_SUBNET_BITS = 48;
  private static final List<String> LIMITS = List.of("maxConnections", "maxConnectionsPerAddress",
      "maxConnectionsPerIpv6Subnet");
  private static final AttributeKey<Counted> COUNTED_AS = AttributeKey.valueOf(ConnectionLimits.class, "countedAs");

  /** What {@link #admit} decides. */
  sealed interface Verdict permits Counted, Refused {}

  /**
   * Admitted, counted under {@code address} and {@code subnet} (null: not counted there, as an IPv4 client's
   * subnet, or a connection whose peer has no IP address).
   */
  record Counted(IpPrefix address, IpPrefix subnet) implements Verdict {}

  /** Refused by the limit named {@code limit}; {@code reason} is the 503's text. */
  record Refused(String limit, String reason) implements Verdict {}

  private record Log(Duration interval, RefusalLog refusals) {}

  private final Supplier<GatewaySettings> settings;
  private final Logger log;
  /** Connections open per client address and per IPv6 subnet; guarded by this. */
  private final Map<IpPrefix, Integer> perAddress = new HashMap<>();
  private final Map<IpPrefix, Integer> perSubnet = new HashMap<>();
  private int open;
  private volatile Log refusals;

  ConnectionLimits(Supplier<GatewaySettings> settings, Logger log) {
    this.settings = settings;
    this.log = log;
  }

  /** The network a client is counted under: its IPv4 address, or its IPv6 address's /64. */
  static IpPrefix clientKey(InetAddress address) {
    return IpPrefix.of(address, 32, IPV6_ADDRESS_BITS);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress source = ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
    GatewaySettings s = settings.get();
    switch (admit(source, s)) {
      case Counted counted -> {
        ctx.channel().attr(COUNTED_AS).set(counted);
        super.channelActive(ctx);
      }
      case Refused refused -> {
        refusals(s).refused(refused.limit(), "gateway: refused a connection from {}: {}",
            source == null ? ctx.channel().remoteAddress() : source.getHostAddress(), refused.reason());
        // Not passed on: nothing after this handler reads, times or answers the connection.
        ctx.channel().config().setAutoRead(false);
        byte[] body = (refused.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Retry-After: 1\r\n"
            + "Content-Length: " + body.length + "\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Counted counted = ctx.channel().attr(COUNTED_AS).getAndSet(null);
    if (counted != null) {
      release(counted);
    }
    super.channelInactive(ctx);
  }

  /** Counts a connection from {@code source} (null: no IP address) in, or says which limit refuses it. */
  synchronized Verdict admit(InetAddress source, GatewaySettings s) {
    IpPrefix address = source == null ? null : clientKey(source);
    IpPrefix subnet = source instanceof Inet6Address ? IpPrefix.of(source, IPV6_SUBNET_BITS) : null;
    int fromAddress = address == null ? 0 : perAddress.getOrDefault(address, 0);
    int fromSubnet = subnet == null ? 0 : perSubnet.getOrDefault(subnet, 0);
    if (open >= s.maxConnections()) {
      return new Refused("maxConnections", "the gateway is full: " + open + " connections open, its maxConnections ("
          + GatewayServer.PID + ")");
    }
    if (fromAddress >= s.maxConnectionsPerAddress()) {
      return new Refused("maxConnectionsPerAddress", "too many connections from " + address + ": " + fromAddress
          + " open, the gateway's maxConnectionsPerAddress (" + GatewayServer.PID + ")");
    }
    if (fromSubnet >= s.maxConnectionsPerIpv6Subnet()) {
      return new Refused("maxConnectionsPerIpv6Subnet", "too many connections from " + subnet + ": " + fromSubnet
          + " open, the gateway's maxConnectionsPerIpv6Subnet (" + GatewayServer.PID + ")");
    }
    open++;
    if (address != null) {
      perAddress.put(address, fromAddress + 1);
    }
    if (subnet != null) {
      perSubnet.put(subnet, fromSubnet + 1);
    }
    return new Counted(address, subnet);
  }

  /** A connection admitted as {@code counted} closed. */
  synchronized void release(Counted counted) {
    open--;
    if (counted.address() != null) {
      perAddress.computeIfPresent(counted.address(), (k, n) -> n == 1 ? null : n - 1);
    }
    if (counted.subnet() != null) {
      perSubnet.computeIfPresent(counted.subnet(), (k, n) -> n == 1 ? null : n - 1);
    }
  }

  /** Connections open now. */
  synchronized int open() {
    return open;
  }

  /** The refusal log for the interval {@code s} sets; made anew when that changes. */
  private RefusalLog refusals(GatewaySettings s) {
    Log current = refusals;
    if (current == null || !current.interval().equals(s.refusalLogInterval())) {
      current = new Log(s.refusalLogInterval(), new RefusalLog(log, s.refusalLogInterval(), LIMITS));
      refusals = current;
    }
    return current.refusals();
  }
}
