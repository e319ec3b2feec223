package io.cairn.bitswap.client.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.BitswapSession;
import io.cairn.bitswap.ClientStats;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.spi.InOrderRoutes;
import io.cairn.net.spi.RouteOptimizer;
import io.cairn.node.config.Configs;
import io.cairn.node.strategy.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The bitswap client. A get is answered from the local blockstore when it can be (the blockstore
 * answers identity CIDs from the CID itself, so no peer is asked for them, as in Kubo); otherwise it
 * becomes a want in the {@link WantManager}. Received blocks are hashed (small ones on the network
 * thread, large ones on the verify threads, within a byte bound) — the CID is computed from the
 * bytes, so a block that does not match a want is one nobody asked for and is dropped. Wanted blocks
 * are stored and handed to the waiting gets; the store tells the engine, for peers that want them.
 */
@Component(service = Bitswap.class, configurationPid = BitswapClientComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ClientConfig.class)
public class BitswapClientComponent implements Bitswap, BitswapReceiver, WantManager.Delivery {
  public static final String PID = "io.cairn.bitswap.client";
  private static final int RECENT_BLOCKS = 10_000;

  private final BitswapNetwork network;
  private final Blockstore blockstore;
  private final Logger log;
  private final WantManager manager;
  private final Thread managerThread;
  private final ExecutorService verifiers;
  private final AtomicLong pendingVerifyBytes = new AtomicLong();
  private final AtomicLong blocksReceived = new AtomicLong();
  private final AtomicLong dataReceived = new AtomicLong();
  private final AtomicLong dupBlocks = new AtomicLong();
  private final AtomicLong dupData = new AtomicLong();
  private final AtomicLong unwantedBlocks = new AtomicLong();
  private final AtomicLong invalidBlocks = new AtomicLong();
  private final AtomicInteger sessions = new AtomicInteger();
  /** CIDs of blocks delivered lately, to tell a duplicate from an unrequested block; manager thread only. */
  private final Map<Cid, Boolean> recent = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Cid, Boolean> eldest) {
      return size() > RECENT_BLOCKS;
    }
  };
  private volatile ClientSettings settings;
  private volatile ClientMetrics metrics;
  private final PeerFeedback feedback = new PeerFeedback();
  private final Strategies<RouteOptimizer> routes;
  private final AtomicLong sessionIds = new AtomicLong();

  @Activate
  public BitswapClientComponent(@Reference BitswapNetwork network, @Reference Blockstore blockstore,
      @Reference(service = LoggerFactory.class) Logger log, ClientConfig config) {
    this.blockstore = blockstore;
    this.log = log;
    this.settings = Configs.validate(PID, config, ClientSettings::of, log)
        .orElseGet(() -> ClientSettings.of(Configs.defaults(ClientConfig.class)));
    this.routes = new Strategies<>("bitswap route optimizer", InOrderRoutes.INSTANCE, "static (built-in)", log);
    this.manager = new WantManager(network, this, feedback, routes, settings, log);
    this.managerThread = Thread.ofPlatform().daemon().name("bitswap-client").start(manager);
    AtomicInteger n = new AtomicInteger();
    this.verifiers = Executors.newFixedThreadPool(settings.verifyThreads(),
        r -> Thread.ofPlatform().daemon().name("bitswap-verify-" + n.getAndIncrement()).unstarted(r));
    this.network = network;
    network.addReceiver(this);
  }

  @Modified
  void modified(ClientConfig config) {
    Configs.validate(PID, config, ClientSettings::of, log).ifPresent(next -> {
      if (next.verifyThreads() != settings.verifyThreads()) {
        log.info("{}: verifyThreads takes effect when the component restarts", PID);
      }
      settings = next;
      manager.settings(next);
    });
  }

  @Deactivate
  void deactivate() {
    network.removeReceiver(this);
    manager.stop();
    managerThread.interrupt();
    verifiers.shutdownNow();
  }

  /**
   * The route optimizer strategies ({@code cairn.strategy=<name>}): which peer that has a block is asked, and
   * when a want moves; the best ranked matching {@code routeOptimizer.target} is used, with none the peers in
   * the order they answered.
   */
  @Reference(name = "routeOptimizer", service = RouteOptimizer.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindRouteOptimizer(RouteOptimizer optimizer, Map<String, Object> props) {
    routes.bind(optimizer, props);
  }

  void updatedRouteOptimizer(RouteOptimizer optimizer, Map<String, Object> props) {
    routes.updated(optimizer, props);
  }

  void unbindRouteOptimizer(RouteOptimizer optimizer) {
    routes.unbind(optimizer);
  }

  /** The route optimizer in use ({@code cairn.strategy}). */
  String routeOptimizerInUse() {
    return routes.inUse();
  }

  /** The connection manager, when the network layer runs: a session's peers are tagged and protected there. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindConnManager(ConnManager cm) {
    feedback.connManager = cm;
  }

  void unbindConnManager(ConnManager cm) {
    if (feedback.connManager == cm) {
      feedback.connManager = null;
    }
  }

  /** Connection quality, when the network layer runs: told how each want to a peer ended. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindQualities(ConnectionQualities qualities) {
    feedback.qualities = qualities;
  }

  void unbindQualities(ConnectionQualities qualities) {
    if (feedback.qualities == qualities) {
      feedback.qualities = null;
    }
  }

  /**
   * The node's metric registry, when the monitoring bundle runs: boxo's histograms of received block sizes
   * and its HAVE count go there. Typed {@code Object} so this class loads without the metrics package (an
   * optional import): only {@link ClientMetrics} touches it.
   */
  @Reference(service = com.codahale.metrics.MetricRegistry.class, cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindMetrics(Object registry) {
    ClientMetrics previous = metrics;
    metrics = new ClientMetrics(registry, manager::wantBlockCount, manager::broadcastCount, manager::resends,
        manager::lastWindow);
    if (previous != null) {
      previous.close();
    }
  }

  void unbindMetrics(Object registry) {
    ClientMetrics current = metrics;
    if (current != null && current.registry() == registry) {
      metrics = null;
      current.close();
    }
  }

  // ---- Bitswap

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return get(cid, Duration.ofMillis(settings.defaultTimeoutMillis()));
  }

  @Override
  public CompletableFuture<Block> get(Cid cid, Duration timeout) {
    return fetch(newSessionState(), cid, timeout);
  }

  @Override
  public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
    return fetchMany(newSessionState(), cids, timeout);
  }

  @Override
  public BitswapSession newSession() {
    sessions.incrementAndGet();
    WantManager.Session session = new WantManager.Session(new WantWindow(() -> settings),
        "bs-ses-" + sessionIds.incrementAndGet());
    return new BitswapSession() {
      @Override
      public CompletableFuture<Block> get(Cid cid, Duration timeout) {
        return fetch(session, cid, timeout);
      }

      @Override
      public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
        return fetchMany(session, cids, timeout);
      }

      @Override
      public int window() {
        return session.window.getsInFlight(session.storing.get());
      }

      @Override
      public void close() {
        sessions.decrementAndGet();
        List.copyOf(session.pending).forEach(f -> f.cancel(false));
        feedback.closed(session);
      }
    };
  }

  private WantManager.Session newSessionState() {
    return new WantManager.Session(new WantWindow(() -> settings), null);
  }

  private List<CompletableFuture<Block>> fetchMany(WantManager.Session session, List<Cid> cids, Duration timeout) {
    Map<Cid, CompletableFuture<Block>> byCid = new LinkedHashMap<>();
    List<CompletableFuture<Block>> result = new ArrayList<>(cids.size());
    for (Cid cid : cids) {
      result.add(byCid.computeIfAbsent(cid, c -> fetch(session, c, timeout)));
    }
    return result;
  }

  private CompletableFuture<Block> fetch(WantManager.Session session, Cid cid, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    CompletableFuture<Block> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    session.pending.add(result);
    result.whenComplete((b, error) -> {
      session.pending.remove(result);
      if (error != null) {
        manager.post(() -> manager.waiterGone(cid, result));
      }
    });
    blockstore.get(cid).whenComplete((local, error) -> {
      if (local != null) {
        result.complete(local);
      } else if (!result.isDone()) {
        // Not here (or unreadable here): fetch it from peers.
        manager.post(() -> manager.want(cid, new WantManager.Waiter(session, result, deadline, timeout)));
      }
    });
    return result;
  }

  @Override
  public Set<Cid> wantlist() {
    return manager.wantlist().orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public ClientStats stats() {
    return new ClientStats(blocksReceived.get(), dataReceived.get(), dupBlocks.get(), dupData.get(),
        unwantedBlocks.get(), invalidBlocks.get(), manager.wantCount(), sessions.get());
  }

  // ---- BitswapReceiver (network threads)

  @Override
  public void receive(PeerId from, BitswapMessage message) {
    ClientMetrics m = metrics;
    if (m != null) {
      m.received(message);
    }
    if (!message.presences().isEmpty()) {
      List<BlockPresence> presences = message.presences();
      manager.post(() -> presences.forEach(p -> manager.presence(from, p.cid(), p.type())));
    }
    ClientSettings s = settings;
    for (BlockPayload payload : message.blocks()) {
      int size = payload.data().length;
      if (size <= s.inlineVerifyBytes()) {
        verify(from, payload);
      } else if (pendingVerifyBytes.addAndGet(size) > s.maxPendingVerifyBytes()) {
        pendingVerifyBytes.addAndGet(-size);
        unwantedBlocks.incrementAndGet();
        log.debug("dropped a {}-byte block from {}: {} bytes already await their hash check", size, from,
            s.maxPendingVerifyBytes());
      } else {
        verifiers.execute(() -> {
          try {
            verify(from, payload);
          } finally {
            pendingVerifyBytes.addAndGet(-size);
          }
        });
      }
    }
  }

  /** Computes the block's CID from its bytes: the block is then by construction the one its CID names. */
  private void verify(PeerId from, BlockPayload payload) {
    Cid cid;
    try {
      cid = payload.cid();
    } catch (RuntimeException e) {
      invalidBlocks.incrementAndGet();
      log.debug("block from {} dropped: {}", from, e.getMessage());
      return;
    }
    Block block = new Block(cid, payload.data());
    manager.post(() -> manager.arrived(from, block));
  }

  @Override
  public void peerConnected(PeerId peer, BitswapProtocol protocol) {
    manager.post(() -> manager.peerConnected(peer, protocol));
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    manager.post(() -> manager.peerDisconnected(peer));
  }

  // ---- WantManager.Delivery (manager thread)

  @Override
  public CompletableFuture<Void> deliver(PeerId from, Block block, boolean wanted) {
    if (!wanted) {
      if (recent.containsKey(block.cid())) {
        dupBlocks.incrementAndGet();
        dupData.addAndGet(block.size());
        ClientMetrics m = metrics;
        if (m != null) {
          m.duplicate(block.size());
        }
      } else {
        unwantedBlocks.incrementAndGet();
      }
      return CompletableFuture.completedFuture(null);
    }
    recent.put(block.cid(), Boolean.TRUE);
    blocksReceived.incrementAndGet();
    dataReceived.addAndGet(block.size());
    CompletableFuture<Void> stored = blockstore.put(block).whenComplete((ok, error) -> {
      if (error != null) {
        log.warn("block {} from {} not stored: {}", block.cid(), from, error.toString());
      }
    });
    // Peers waiting for the block learn of it from the store once it is stored (the engine observes the
    // store's stored blocks), not from here: telling the engine now would be before the write lands.
    return stored;
  }
}
