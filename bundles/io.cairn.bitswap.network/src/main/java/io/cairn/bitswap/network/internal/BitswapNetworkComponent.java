package io.cairn.bitswap.network.internal;

import io.cairn.bitswap.message.BitswapFrameDecoder;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapMessageDecoder;
import io.cairn.bitswap.message.BitswapMessageEncoder;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Host;
import io.cairn.libp2p.PeerInfo;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQualities;
import io.cairn.node.breaker.BreakerHolder;
import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.config.Configs;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Bitswap over libp2p (boxo's {@code bitswap/network}). Serves the three bitswap protocol ids as a
 * stream handler (registered once this component is active: the host binds stream handlers, and this
 * component needs the host, so declaring the handler as a DS service would be a cycle). A peer is a
 * bitswap peer once its identify lists bitswap or it opens a bitswap stream to us; we then open one
 * outbound stream to it that carries every message we send it. Every bitswap stream, inbound or
 * outbound, decodes what arrives on it and hands the messages to the receivers on its event loop.
 * Sends to each peer go through the peer's circuit breaker ({@link CircuitBreakers}, see {@link PeerSender}):
 * a peer that does not read is paused instead of costing a send timeout per message.
 */
@Component(service = BitswapNetwork.class, immediate = true, configurationPid = BitswapNetworkComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NetworkConfig.class)
public class BitswapNetworkComponent implements BitswapNetwork, StreamHandler, ConnectionListener {
  public static final String PID = "io.cairn.bitswap.network";

  private final Host host;
  private final Logger log;
  private final Map<PeerId, PeerState> peers = new ConcurrentHashMap<>();
  private final List<BitswapReceiver> receivers = new CopyOnWriteArrayList<>();
  private volatile NetworkSettings settings;
  private final ServiceRegistration<StreamHandler> handlerRegistration;
  private final BreakerHolder<PeerId> guards;
  /** The peers' breaker metrics, while the node's MetricRegistry is bound. */
  private volatile BreakerMetrics breakerMetrics;

  /** What is kept per connected peer: its connections, its sender once it speaks bitswap, its offences. */
  private final class PeerState {
    final PeerId peer;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger inboundStreams = new AtomicInteger();
    final AtomicInteger malformed = new AtomicInteger();
    final PeerSender sender;
    /** Set once the peer is known to speak bitswap and the receivers were told. */
    volatile BitswapProtocol protocol;

    PeerState(PeerId peer) {
      this.peer = peer;
      this.sender = new PeerSender(peer, BitswapNetworkComponent.this::openStream,
          size -> settings.sendTimeoutNanos((int) size), () -> guards.breaker(peer),
          () -> settings.maxHeldBytesPerPeer(), () -> qualities);
    }

    /** The first proof that the peer speaks bitswap: tell the receivers, once. */
    synchronized void speaksBitswap(BitswapProtocol negotiated) {
      if (protocol == null) {
        protocol = negotiated;
        receivers.forEach(r -> r.peerConnected(peer, negotiated));
      }
    }
  }

  @Activate
  public BitswapNetworkComponent(BundleContext context, @Reference Host host,
      @Reference(service = LoggerFactory.class) Logger log, NetworkConfig config) {
    this.host = host;
    this.log = log;
    this.guards = new BreakerHolder<>(log, CircuitBreakers.SCOPE_PEER, "bitswap sends", (peer, fromTo) -> {
      if (fromTo[1] == CircuitBreakers.State.OPEN) {
        PeerState state = peers.get(peer);
        if (state != null) {
          state.sender.pausedNow();
        }
      }
      BreakerMetrics m = breakerMetrics;
      if (m != null) {
        m.transition(fromTo[1]);
      }
    });
    this.settings = Configs.validate(PID, config, NetworkSettings::of, log)
        .orElseGet(() -> NetworkSettings.of(Configs.defaults(NetworkConfig.class)));
    host.addConnectionListener(this);
    host.connections().forEach(c -> {
      connected(c);
      host.peerInfo(c.remotePeer()).ifPresent(info -> identified(c, info));
    });
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put(StreamHandler.PROTOCOL, BitswapProtocol.ids().toArray(String[]::new));
    handlerRegistration = context.registerService(StreamHandler.class, this, properties);
  }

  @Modified
  void modified(NetworkConfig config) {
    Configs.validate(PID, config, NetworkSettings::of, log).ifPresent(next -> settings = next);
  }

  @Deactivate
  void deactivate() {
    handlerRegistration.unregister();
    host.removeConnectionListener(this);
    peers.values().forEach(p -> p.sender.close());
    peers.clear();
  }

  /**
   * The circuit breaker strategies ({@code cairn.strategy=<name>}) of {@code cairn.breaker.scope=peer};
   * the best ranked matching {@code peerGuard.target} is used, none guards nothing. See {@link BreakerHolder}.
   */
  /** Connection quality, when the network layer runs: told how every message to a peer went. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ConnectionQualities qualities;

  @Reference(name = "peerGuard", service = CircuitBreakers.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindPeerGuard(CircuitBreakers guard, Map<String, Object> properties) {
    guards.bind(guard, properties);
  }

  void updatedPeerGuard(CircuitBreakers guard, Map<String, Object> properties) {
    guards.bind(guard, properties);
  }

  void unbindPeerGuard(CircuitBreakers guard) {
    guards.unbind(guard);
  }

  /** The peer guard strategy in use ({@code cairn.strategy}), or {@code none}. */
  String peerGuardInUse() {
    return guards.inUse();
  }

  /**
   * The node's metric registry, when the monitoring bundle runs: the peers' breaker counts go there.
   * Typed {@code Object} so this class loads without the metrics package (an optional import).
   */
  @Reference(name = "metrics", service = com.codahale.metrics.MetricRegistry.class,
      cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindMetrics(Object registry) {
    BreakerMetrics previous = breakerMetrics;
    breakerMetrics = new BreakerMetrics(registry, guards::countByState);
    if (previous != null) {
      previous.close();
    }
    // Told under the holder's lock, so a swap at this moment cannot leave an older name shown.
    guards.watchInUse(this::showPeerGuard);
  }

  private void showPeerGuard(String strategy) {
    BreakerMetrics m = breakerMetrics;
    if (m != null) {
      m.strategy(strategy);
    }
  }

  void unbindMetrics(Object registry) {
    BreakerMetrics current = breakerMetrics;
    if (current != null && current.registry() == registry) {
      breakerMetrics = null;
      current.close();
    }
  }

  @Override
  public void addReceiver(BitswapReceiver receiver) {
    receivers.add(receiver);
    // A receiver that arrives late (a bundle deployed while peers are connected) still learns of them.
    peers.values().forEach(p -> {
      BitswapProtocol protocol = p.protocol;
      if (protocol != null) {
        receiver.peerConnected(p.peer, protocol);
      }
    });
  }

  @Override
  public void removeReceiver(BitswapReceiver receiver) {
    receivers.remove(receiver);
  }

  // ---- connections

  @Override
  public void connected(Connection connection) {
    peers.computeIfAbsent(connection.remotePeer(), PeerState::new).connections.incrementAndGet();
  }

  /**
   * A peer whose identify lists bitswap gets our stream, which carries every message we send it and
   * tells the receivers it is there (Helia, say, opens no stream to us until it wants something). A
   * peer that does not list bitswap is not asked: it would only answer "na".
   */
  @Override
  public void identified(Connection connection, PeerInfo info) {
    PeerState state = peers.get(info.peer());
    if (state == null || state.protocol != null || info.protocols().stream().noneMatch(BitswapProtocol.ids()::contains)) {
      return;
    }
    PeerId peer = info.peer();
    openStream(peer).whenComplete((stream, error) -> {
      if (error != null) {
        log.debug("bitswap stream to {} failed: {}", peer, error.toString());
      }
    });
  }

  @Override
  public void disconnected(Connection connection) {
    PeerId peer = connection.remotePeer();
    PeerState state = peers.get(peer);
    if (state != null && state.connections.decrementAndGet() <= 0 && peers.remove(peer, state)) {
      state.sender.close();
      guards.forget(peer);
      if (state.protocol != null) {
        receivers.forEach(r -> r.peerDisconnected(peer));
      }
    }
  }

  // ---- streams

  /** Opens an outbound bitswap stream to a connected peer, newest protocol first. */
  private CompletableFuture<StreamChannel> openStream(PeerId peer) {
    return host.newStream(peer, BitswapProtocol.ids(), this::initStream);
  }

  @Override
  public void initStream(StreamChannel stream, StreamInfo info) {
    PeerId peer = info.remotePeer();
    BitswapProtocol protocol = BitswapProtocol.of(info.protocol()).orElseThrow();
    PeerState state = peers.computeIfAbsent(peer, PeerState::new);
    if (info.direction() == Direction.INBOUND) {
      if (state.inboundStreams.incrementAndGet() > settings.maxInboundStreamsPerPeer()) {
        state.inboundStreams.decrementAndGet();
        stream.reset();
        return;
      }
      stream.closeFuture().addListener(f -> state.inboundStreams.decrementAndGet());
    } else {
      state.sender.attach(stream, protocol);
    }
    NetworkSettings s = settings;
    stream.pipeline().addLast(
        new BitswapFrameDecoder(s.limits().maxMessageBytes()),
        new BitswapMessageDecoder(s.limits()),
        new BitswapMessageEncoder(protocol),
        new InboundMessages(state));
    state.speaksBitswap(protocol);
  }

  /** Hands each decoded message to the receivers; a malformed one resets the stream and counts against the peer. */
  private final class InboundMessages extends ChannelInboundHandlerAdapter {
    private final PeerState state;

    InboundMessages(PeerState state) {
      this.state = state;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      BitswapMessage message = (BitswapMessage) msg;
      for (BitswapReceiver receiver : receivers) {
        try {
          receiver.receive(state.peer, message);
        } catch (RuntimeException e) {
          log.error("bitswap receiver {} failed on a message from {}", receiver, state.peer, e);
        }
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && !isOutbound(ctx)) {
        // The peer finished sending on its stream: close ours too so the stream's state goes.
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }

    private boolean isOutbound(ChannelHandlerContext ctx) {
      return ctx.channel() == state.sender.currentStream();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      StreamChannel stream = (StreamChannel) ctx.channel();
      stream.reset();
      if (!(cause instanceof DecoderException)) {
        log.debug("bitswap stream from {} failed: {}", state.peer, cause.toString());
        return;
      }
      String reason = cause.getMessage();
      int offences = state.malformed.incrementAndGet();
      log.info("malformed bitswap message from {} ({}): {}", state.peer, offences, reason);
      receivers.forEach(r -> r.malformedMessage(state.peer, reason));
      if (offences >= settings.malformedMessagesBeforeDisconnect()) {
        disconnect(state.peer, offences + " malformed bitswap message(s), the last: " + reason);
      }
    }
  }

  // ---- BitswapNetwork

  @Override
  public CompletableFuture<Void> send(PeerId peer, BitswapMessage message) {
    PeerState state = peers.get(peer);
    if (state == null) {
      return CompletableFuture.failedFuture(new PeerUnavailableException(peer, "not connected"));
    }
    return state.sender.send(message);
  }

  @Override
  public Set<PeerId> peers() {
    return peers.values().stream().filter(p -> p.protocol != null).map(p -> p.peer).collect(Collectors.toSet());
  }

  @Override
  public Optional<BitswapProtocol> protocol(PeerId peer) {
    return Optional.ofNullable(peers.get(peer)).map(p -> p.protocol);
  }

  @Override
  public Optional<Duration> roundTrip(PeerId peer) {
    return host.connection(peer).flatMap(Connection::roundTrip);
  }

  @Override
  public void disconnect(PeerId peer, String reason) {
    log.warn("disconnecting {}: {}", peer, reason);
    host.connections().stream().filter(c -> c.remotePeer().equals(peer)).forEach(Connection::close);
  }
}
