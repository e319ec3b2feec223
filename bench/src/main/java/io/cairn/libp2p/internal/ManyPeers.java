package io.cairn.libp2p.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.libp2p.noise.internal.StandaloneNoise;
import io.cairn.libp2p.yamux.internal.StandaloneYamux;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.node.config.Configs;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.log.Logger;

/**
 * Many peer identities dialling from one process: each dial upgrades its TCP connection (multistream,
 * Noise, yamux) with the identity given for it, on event loops all the identities share, so ten thousand
 * peers cost ten thousand connections and not ten thousand hosts. The connections serve no protocol (the
 * node's identify requests are answered "na"); they are what idle peers are to the node: real Noise and
 * yamux sessions from distinct peer ids, from the source addresses asked for (spread over 127.0.0.0/8
 * they look like many hosts to per-IP and per-subnet limits).
 */
public final class ManyPeers implements AutoCloseable {
  private final TcpTransport transport;
  private final Logger log = StandaloneHost.silentLogger();
  private final Ranked<StreamMuxer> muxers = new Ranked<>();
  private final StreamHandlers handlers = new StreamHandlers();
  private final StreamTraffic traffic = new StreamTraffic();
  private final HostSettings settings = HostSettings.of(Configs.defaults(HostConfig.class), "/ip4/127.0.0.1/tcp/0");

  public ManyPeers(int ioThreads) {
    transport = new TcpTransport(ioThreads);
    StreamMuxer yamux = StandaloneYamux.create(log);
    muxers.add(yamux, Map.of(StreamMuxer.PROTOCOL, yamux.protocolId(), "service.id", 1L));
  }

  /** Dials {@code target} (which must be {@code peer}) as the peer whose key is {@code key}, from {@code source}. */
  public CompletableFuture<Connection> dial(PrivateKey key, InetSocketAddress source, InetSocketAddress target, PeerId peer) {
    Ranked<SecureTransport> security = new Ranked<>();
    security.add(StandaloneNoise.create(StandaloneHost.identity(key), log), Map.of(SecureTransport.PROTOCOL, "/noise", "service.id", 1L));
    Upgrader upgrader = new Upgrader(security, muxers, traffic);
    CompletableFuture<Connection> result = new CompletableFuture<>();
    new Bootstrap()
        .group(transport.workers)
        .channel(transport.socketChannel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.dialTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            // As the host dials: the upgrade is in the pipeline before the connection is.
            upgrader.upgrade(ch, Direction.OUTBOUND, Optional.of(peer), settings, handlers).whenComplete((c, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                result.complete(c);
              }
            });
          }
        })
        .connect(target, source)
        .addListener((ChannelFuture f) -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  @Override
  public void close() {
    transport.close();
  }
}
