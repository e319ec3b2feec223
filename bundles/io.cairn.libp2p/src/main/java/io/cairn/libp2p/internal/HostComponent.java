package io.cairn.libp2p.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Host;
import io.cairn.libp2p.InboundGate;
import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.PeerInfo;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.TrafficObserver;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import io.cairn.node.NodeNetwork;
import io.cairn.node.config.Configs;
import io.cairn.node.net.RefusalLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.framework.BundleContext;
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
 * The libp2p host: TCP listeners and dials on Netty, each connection upgraded (multistream → Noise →
 * yamux) and registered, stream protocols served from the {@link StreamHandler} whiteboard. Security
 * transports, muxers and handlers are DYNAMIC + GREEDY references: a swap never restarts the host.
 */
@Component(service = {Host.class, NodeNetwork.class}, configurationPid = HostComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = HostConfig.class)
public class HostComponent implements Host, NodeNetwork {
  public static final String PID = "io.cairn.libp2p.host";
  /** Framework property that overrides the configured listen addresses for one run (CLI, environment). */
  static final String SWARM_ADDRESS_PROPERTY = "cairn.swarm.address";

  private final NodeIdentity identity;
  private final Logger log;
  private final String swarmOverride;
  private final Ranked<SecureTransport> security = new Ranked<>();
  private final Ranked<StreamMuxer> muxers = new Ranked<>();
  private final StreamHandlers handlers = new StreamHandlers();
  private final StreamTraffic traffic = new StreamTraffic();
  private final Upgrader upgrader = new Upgrader(security, muxers, traffic);
  private final TcpTransport transport;
  private final Map<PeerId, List<Libp2pConnection>> connections = new ConcurrentHashMap<>();
  private final Map<PeerId, PeerInfo> peerInfos = new ConcurrentHashMap<>();
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private final List<InboundGate> gates = new CopyOnWriteArrayList<>();
  private final List<Runnable> protocolChangeListeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionCount = new AtomicInteger();
  /** Our own dials mid-upgrade; inbound ones are counted by {@link #admission}. */
  private final AtomicInteger pendingOutbound = new AtomicInteger();
  private final Admission admission = new Admission();
  /** Inbound connections refused, by the limit that refused them (libp2p_rcmgr_blocked_resources). */
  final Map<Admission.Limit, LongAdder> blocked = new EnumMap<>(Admission.Limit.class);
  /** Connections whose upgrade failed, either direction (cairn_libp2p_upgrade_failures). */
  final LongAdder upgradeFailures = new LongAdder();
  /** Refusals at WARN, one window per limit; made anew when refusalLogIntervalSeconds changes. */
  private volatile RefusalLog refusalLog;
  private volatile AdmissionMetrics metrics;
  private volatile HostSettings settings;
  private volatile List<Channel> serverChannels = List.of();
  private volatile ListenAddresses listening = ListenAddresses.NONE;
  private final IdentifyProtocol identify;

  @Activate
  public HostComponent(BundleContext context, @Reference NodeIdentity identity, @Reference NodeInfo node,
      @Reference(service = LoggerFactory.class) Logger log, HostConfig config) {
    this.identity = identity;
    this.log = log;
    for (Admission.Limit limit : Admission.Limit.values()) {
      blocked.put(limit, new LongAdder());
    }
    this.swarmOverride = context.getProperty(SWARM_ADDRESS_PROPERTY);
    HostSettings initial = Configs.validate(PID, config, c -> HostSettings.of(c, swarmOverride), log)
        .orElseGet(() -> HostSettings.of(Configs.defaults(HostConfig.class), swarmOverride));
    this.settings = initial;
    this.refusalLog = refusalLog(initial);
    this.transport = new TcpTransport(initial.ioThreads());
    this.identify = new IdentifyProtocol(this, node, log);
    handlers.add(identify, Map.of(StreamHandler.PROTOCOL, List.of(IdentifyProtocol.ID, IdentifyProtocol.PUSH)));
    bind(initial.listen());
    log.info("libp2p host {} on {} ({})", identity.peerId(), listening.get(), transport.kind);
  }

  @Modified
  void modified(HostConfig config) {
    Configs.validate(PID, config, c -> HostSettings.of(c, swarmOverride), log).ifPresent(next -> {
      HostSettings previous = settings;
      settings = next;
      if (!next.admission().refusalLogInterval().equals(previous.admission().refusalLogInterval())) {
        refusalLog = refusalLog(next);
      }
      if (!next.listen().equals(previous.listen())) {
        closeListeners();
        bind(next.listen());
        log.info("libp2p host now listens on {}", listening.get());
      }
      if (next.ioThreads() != previous.ioThreads()) {
        log.warn("ioThreads changes take effect when the host restarts");
      }
    });
  }

  private RefusalLog refusalLog(HostSettings s) {
    return new RefusalLog(log, s.admission().refusalLogInterval(),
        Arrays.stream(Admission.Limit.values()).map(l -> l.key).toList());
  }

  /** The metrics are not closed here: they came with their reference, and DS unbinds it after this. */
  @Deactivate
  void deactivate() {
    identify.close();
    closeListeners();
    for (List<Libp2pConnection> list : connections.values()) {
      list.forEach(c -> c.channel().close());
    }
    transport.close();
  }

  // --- whiteboard ---

  @Reference(service = SecureTransport.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindSecurity(SecureTransport t, Map<String, Object> props) {
    security.add(t, props);
  }

  void unbindSecurity(SecureTransport t) {
    security.remove(t);
  }

  @Reference(service = StreamMuxer.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindMuxer(StreamMuxer m, Map<String, Object> props) {
    muxers.add(m, props);
  }

  void unbindMuxer(StreamMuxer m) {
    muxers.remove(m);
  }

  @Reference(service = StreamHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindHandler(StreamHandler h, Map<String, Object> props) {
    if (handlers.add(h, props)) {
      protocolChangeListeners.forEach(Runnable::run);
    }
  }

  void unbindHandler(StreamHandler h) {
    if (handlers.remove(h)) {
      protocolChangeListeners.forEach(Runnable::run);
    }
  }

  /** Asked for every inbound connection the host's own limits let in, before a byte is read. */
  @Reference(service = InboundGate.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindGate(InboundGate gate) {
    gates.add(gate);
  }

  void unbindGate(InboundGate gate) {
    gates.remove(gate);
  }

  /** Bandwidth counters: told of every stream negotiated from now on ({@link StreamTraffic}). */
  @Reference(service = TrafficObserver.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindTrafficObserver(TrafficObserver observer) {
    traffic.add(observer);
  }

  void unbindTrafficObserver(TrafficObserver observer) {
    traffic.remove(observer);
  }

  /**
   * The node's metric registry, when the monitoring bundle runs: refusals and pending upgrades are counted
   * there. Typed {@code Object} so that this class loads without the metrics packages (optional imports):
   * only {@link AdmissionMetrics} touches them.
   */
  @Reference(service = com.codahale.metrics.MetricRegistry.class, cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindMetrics(Object registry) {
    AdmissionMetrics previous = metrics;
    metrics = new AdmissionMetrics(registry, blocked, upgradeFailures, admission::pending, pendingOutbound::get);
    if (previous != null) {
      previous.close();
    }
  }

  void unbindMetrics(Object registry) {
    AdmissionMetrics current = metrics;
    if (current != null && current.registry() == registry) {
      metrics = null;
      current.close();
    }
  }

  // --- listening and dialing ---

  private void bind(List<Multiaddr> addresses) {
    List<Channel> bound = new ArrayList<>();
    List<InetSocketAddress> local = new ArrayList<>();
    for (Multiaddr address : addresses) {
      if (Addresses.servedByDualStack(address, addresses)) {
        log.info("{} is served by the dual-stack IPv6 listener on the same port", address);
        continue;
      }
      InetSocketAddress socket = Addresses.socketAddress(address);
      ChannelFuture f = new ServerBootstrap()
          .group(transport.acceptor, transport.workers)
          .channelFactory(transport.serverChannel(Addresses.listenFamily(address)))
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              accepted(ch);
            }
          })
          .bind(new InetSocketAddress(socket.getHostString(), socket.getPort()))
          .awaitUninterruptibly();
      if (!f.isSuccess()) {
        log.error("cannot listen on {}: {}", address, f.cause().toString());
        continue;
      }
      bound.add(f.channel());
      local.add((InetSocketAddress) f.channel().localAddress());
    }
    serverChannels = List.copyOf(bound);
    listening = new ListenAddresses(local, log);
  }

  private void closeListeners() {
    serverChannels.forEach(c -> c.close().awaitUninterruptibly());
    serverChannels = List.of();
    listening = ListenAddresses.NONE;
  }

  /**
   * A new inbound TCP connection: admitted by the limits before any byte is read (the connection count,
   * then {@link Admission}'s pending and per-source limits), then upgraded; refused ones are closed at once.
   */
  private void accepted(Channel ch) {
    HostSettings s = settings;
    if (!(ch.remoteAddress() instanceof InetSocketAddress remote)) {
      ch.close(); // gone between accept and here: nothing to admit
      return;
    }
    InetAddress source = remote.getAddress();
    if (connectionCount.get() >= s.maxConnections()) {
      refuse(ch, source, new Admission.Refusal(Admission.Limit.MAX_CONNECTIONS, connectionCount.get() + " connections"), s);
      return;
    }
    for (InboundGate gate : gates) {
      Optional<String> refused;
      try {
        refused = gate.refuse(remote);
      } catch (RuntimeException e) {
        // A broken gate must not lock every peer out: it lets the connection in.
        log.debug("inbound gate {} failed on {}: {}", gate, source.getHostAddress(), e.toString());
        continue;
      }
      if (refused.isPresent()) {
        refuse(ch, source, new Admission.Refusal(Admission.Limit.INBOUND_GATE, refused.get()), s);
        return;
      }
    }
    switch (admission.admit(source, s.admission())) {
      case Admission.Refusal refusal -> refuse(ch, source, refusal, s);
      case Admission.Ticket ticket -> {
        ch.closeFuture().addListener(f -> ticket.closed());
        upgrade(ch, Direction.INBOUND, Optional.empty(), s, ticket::upgradeEnded);
      }
    }
  }

  private void refuse(Channel ch, InetAddress source, Admission.Refusal refusal, HostSettings s) {
    blocked.get(refusal.limit()).increment();
    refusalLog.refused(refusal.limit().key, "refused an inbound connection from {}: {} ({})", source.getHostAddress(),
        refusal.detail(), refusal.limit().key);
    ch.close();
  }

  /** Upgrades {@code ch}; {@code upgradeEnded} runs once the upgrade is over, however it ends. */
  private CompletableFuture<Connection> upgrade(Channel ch, Direction direction, Optional<PeerId> expected, HostSettings s,
      Runnable upgradeEnded) {
    CompletableFuture<Connection> registered = new CompletableFuture<>();
    Runnable start = () -> upgrader.upgrade(ch, direction, expected, s, handlers).whenComplete((connection, error) -> {
      upgradeEnded.run();
      if (error != null) {
        upgradeFailures.increment();
        log.debug("{} connection {} failed to upgrade: {}", direction, ch.remoteAddress(), error.getMessage());
        registered.completeExceptionally(error);
        return;
      }
      register(connection, s, registered);
    });
    if (ch.eventLoop().inEventLoop()) {
      start.run();
    } else {
      ch.eventLoop().execute(start);
    }
    return registered;
  }

  private void register(Libp2pConnection connection, HostSettings s, CompletableFuture<Connection> registered) {
    PeerId peer = connection.remotePeer();
    if (peer.equals(identity.peerId())) {
      connection.channel().close();
      registered.completeExceptionally(new Libp2pException("connected to ourselves"));
      return;
    }
    List<Libp2pConnection> list = connections.computeIfAbsent(peer, p -> new CopyOnWriteArrayList<>());
    if (list.size() >= s.maxConnectionsPerPeer()) {
      if (connection.direction() == Direction.INBOUND) {
        refuse(connection.channel(), ((InetSocketAddress) connection.channel().remoteAddress()).getAddress(),
            new Admission.Refusal(Admission.Limit.MAX_CONNECTIONS_PER_PEER, list.size() + " connections of " + peer), s);
      }
      connection.channel().close();
      registered.completeExceptionally(new Libp2pException("already " + list.size() + " connections to " + peer));
      return;
    }
    list.add(connection);
    connectionCount.incrementAndGet();
    connection.channel().closeFuture().addListener(f -> {
      connectionCount.decrementAndGet();
      connections.computeIfPresent(peer, (p, l) -> {
        l.remove(connection);
        return l.isEmpty() ? null : l;
      });
      if (!connections.containsKey(peer)) {
        peerInfos.remove(peer);
      }
      listeners.forEach(l -> l.disconnected(connection));
    });
    listeners.forEach(l -> l.connected(connection));
    registered.complete(connection);
  }

  @Override
  public CompletableFuture<Connection> connect(Multiaddr address) {
    Optional<PeerId> expected = address.peerId();
    if (expected.isPresent()) {
      if (expected.get().equals(identity.peerId())) {
        return CompletableFuture.failedFuture(new Libp2pException("cannot dial ourselves"));
      }
      Optional<Connection> existing = connection(expected.get());
      if (existing.isPresent()) {
        return CompletableFuture.completedFuture(existing.get());
      }
    }
    HostSettings s = settings;
    if (connectionCount.get() >= s.maxConnections()) {
      return CompletableFuture.failedFuture(new Libp2pException("at the connection limit (" + s.maxConnections() + ")"));
    }
    InetSocketAddress target;
    try {
      target = Addresses.socketAddress(address);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new Libp2pException("cannot dial " + address + ": only /ip4, /ip6 and /dns addresses with /tcp are supported"));
    }
    CompletableFuture<Connection> result = new CompletableFuture<>();
    new Bootstrap()
        .group(transport.workers)
        .channel(transport.socketChannel)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) s.dialTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            // The upgrade is in the pipeline before the connection is: the listener sends its
            // multistream header at once, and a read before this would drop it. Counted here,
            // where it starts, because the upgrade uncounts it however it ends (a failed connect
            // included); a channel that never registers never counted.
            pendingOutbound.incrementAndGet();
            upgrade(ch, Direction.OUTBOUND, expected, s, pendingOutbound::decrementAndGet).whenComplete((c, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                result.complete(c);
              }
            });
          }
        })
        .connect(target.getHostString(), target.getPort())
        .addListener((ChannelFuture f) -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(new Libp2pException("cannot connect to " + address + ": " + f.cause().getMessage(), f.cause()));
          }
        });
    return result;
  }

  // --- queries ---

  @Override
  public PeerId peerId() {
    return identity.peerId();
  }

  @Override
  public List<Multiaddr> listenAddresses() {
    return listening.get();
  }

  /** What identify and /api/v0/id announce: the configured announce addresses, else what we bound. */
  List<Multiaddr> announced() {
    List<Multiaddr> announce = settings.announce();
    return announce.isEmpty() ? listening.get() : announce;
  }

  @Override
  public List<String> announcedAddresses() {
    return announced().stream().map(a -> a.withPeerId(identity.peerId()).toString()).toList();
  }

  @Override
  public Set<String> protocols() {
    return handlers.protocols();
  }

  @Override
  public List<String> swarmAddresses() {
    return settings.listen().stream().map(Multiaddr::toString).toList();
  }

  @Override
  public Collection<Connection> connections() {
    List<Connection> all = new ArrayList<>();
    connections.values().forEach(all::addAll);
    return all;
  }

  @Override
  public Optional<Connection> connection(PeerId peer) {
    List<Libp2pConnection> list = connections.get(peer);
    if (list == null) {
      return Optional.empty();
    }
    return list.stream().filter(Libp2pConnection::isOpen).map(Connection.class::cast).findFirst();
  }

  @Override
  public CompletableFuture<StreamChannel> newStream(PeerId peer, List<String> protocols, StreamHandler initializer) {
    return connection(peer)
        .map(c -> c.openStream(protocols, initializer))
        .orElseGet(() -> CompletableFuture.failedFuture(new Libp2pException("not connected to " + peer)));
  }

  @Override
  public CompletableFuture<Duration> ping(PeerId peer) {
    return PingProtocol.ping(this, peer);
  }

  @Override
  public Optional<PeerInfo> peerInfo(PeerId peer) {
    return Optional.ofNullable(peerInfos.get(peer));
  }

  void recordPeerInfo(PeerInfo info, Connection connection) {
    if (connections.containsKey(info.peer())) {
      peerInfos.put(info.peer(), info);
      listeners.forEach(l -> l.identified(connection, info));
    }
  }

  HostSettings settings() {
    return settings;
  }

  Admission admission() {
    return admission;
  }

  /** Told when the set of served protocols changes (identify push). */
  void onProtocolsChanged(Runnable listener) {
    protocolChangeListeners.add(listener);
  }

  void removeProtocolsChanged(Runnable listener) {
    protocolChangeListeners.remove(listener);
  }

  NodeIdentity identity() {
    return identity;
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeConnectionListener(ConnectionListener listener) {
    listeners.remove(listener);
  }
}
