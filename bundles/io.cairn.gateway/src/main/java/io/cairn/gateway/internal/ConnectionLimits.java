package io.cairn.gateway.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/**
 * Admits connections within {@code maxConnections} in all and {@code maxConnectionsPerAddress} from one
 * client address, so that one client opening connections and holding them (slowly sending, or idle) cannot
 * lock everyone else out: it runs into its own share first. An IPv6 client is counted by its /64, since a
 * host can take any address in it. A connection over either limit is answered 503 as it is accepted and
 * closed; refusals are logged at WARN, at most once per {@link #WARN_EVERY_NANOS}. First in the pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionLimits extends ChannelInboundHandlerAdapter {
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final AttributeKey<String> COUNTED_AS = AttributeKey.valueOf(ConnectionLimits.class, "countedAs");

  private final Supplier<GatewaySettings> settings;
  private final Logger log;
  /** Connections open per client key; guarded by this. */
  private final Map<String, Integer> perAddress = new HashMap<>();
  private int open;
  private long refusedSinceWarning;
  private long lastWarning;
  private boolean warned;

  ConnectionLimits(Supplier<GatewaySettings> settings, Logger log) {
    this.settings = settings;
    this.log = log;
  }

  /** The key a client is counted under: its IPv4 address, or its IPv6 address's /64. */
  static String clientKey(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress isa) || isa.getAddress() == null) {
      return String.valueOf(remote);
    }
    InetAddress a = isa.getAddress();
    if (a instanceof Inet6Address) {
      byte[] b = a.getAddress();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      }
      return sb.append(":/64").toString();
    }
    return a.getHostAddress();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    String key = clientKey(ctx.channel().remoteAddress());
    String refusal = admit(key, settings.get());
    if (refusal == null) {
      ctx.channel().attr(COUNTED_AS).set(key);
      super.channelActive(ctx);
      return;
    }
    // Not passed on: nothing after this handler reads, times or answers the connection.
    ctx.channel().config().setAutoRead(false);
    byte[] body = (refusal + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] head = ("HTTP/1.1 503 Service Unavailable\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "X-Content-Type-Options: nosniff\r\n"
        + "Retry-After: 1\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    String key = ctx.channel().attr(COUNTED_AS).getAndSet(null);
    if (key != null) {
      release(key);
    }
    super.channelInactive(ctx);
  }

  /** Counts the connection in, or says why not. */
  private String admit(String key, GatewaySettings s) {
    String refusal;
    long refused;
    synchronized (this) {
      int fromKey = perAddress.getOrDefault(key, 0);
      if (open >= s.maxConnections()) {
        refusal = "the gateway is full: " + open + " connections open, its maxConnections (" + GatewayServer.PID + ")";
      } else if (fromKey >= s.maxConnectionsPerAddress()) {
        refusal = "too many connections from " + key + ": " + fromKey + " open, the gateway's maxConnectionsPerAddress ("
            + GatewayServer.PID + ")";
      } else {
        open++;
        perAddress.put(key, fromKey + 1);
        return null;
      }
      refusedSinceWarning++;
      long now = System.nanoTime();
      if (warned && now - lastWarning < WARN_EVERY_NANOS) {
        return refusal;
      }
      warned = true;
      lastWarning = now;
      refused = refusedSinceWarning;
      refusedSinceWarning = 0;
    }
    log.warn("gateway: refused a connection from {}: {} ({} refused since the last warning)", key, refusal, refused);
    return refusal;
  }

  private synchronized void release(String key) {
    open--;
    perAddress.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
  }
}
