package io.cairn.net.peering.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.Peering;
import io.cairn.node.config.Configs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
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
 * {@link Peering} on the host, as boxo's peering service: each peer is dialled (its addresses in turn)
 * when added and whenever its last connection drops, after a backoff that starts at the initial delay,
 * grows by 1.5 to 2.5 times at each failed dial and, past the maximum, stays within its last 10%; a
 * connection resets it. Peers are protected in the connection manager under {@value Peering#PROTECT_TAG}.
 */
@Component(service = Peering.class, configurationPid = PeeringService.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true)
@Designate(ocd = PeeringConfig.class)
public class PeeringService implements Peering {
  public static final String PID = "io.cairn.net.peering";

  /** One peering peer: where to dial it, and its redial state (guarded by the service). */
  private static final class Peer {
    final List<Multiaddr> addresses;
    Duration backoff;
    ScheduledFuture<?> redial;

    Peer(List<Multiaddr> addresses, Duration initial) {
      this.addresses = List.copyOf(addresses);
      this.backoff = initial;
    }
  }

  private final Host host;
  private final Logger log;
  private final RandomGenerator random;
  private final ScheduledExecutorService timer;
  private final Map<PeerId, Peer> peers = new ConcurrentHashMap<>();
  private volatile PeeringSettings settings;
  private volatile ConnManager connManager;

  private final ConnectionListener listener = new ConnectionListener() {
    @Override
    public void connected(Connection connection) {
      PeerId id = connection.remotePeer();
      synchronized (PeeringService.this) {
        Peer p = peers.get(id);
        if (p != null) {
          cancel(p);
          p.backoff = settings.initialBackoff();
        }
      }
    }

    @Override
    public void disconnected(Connection connection) {
      PeerId id = connection.remotePeer();
      if (peers.containsKey(id) && host.connection(id).isEmpty()) {
        log.info("peering: the connection to {} dropped; redialling", id);
        scheduleRedial(id);
      }
    }
  };

  @Activate
  public PeeringService(@Reference Host host, @Reference(service = LoggerFactory.class) Logger log, PeeringConfig config) {
    this(host, log, config, RandomGenerator.getDefault());
  }

  PeeringService(Host host, Logger log, PeeringConfig config, RandomGenerator random) {
    this.host = host;
    this.log = log;
    this.random = random;
    this.settings = Configs.validate(PID, config, PeeringSettings::of, log)
        .orElseGet(() -> PeeringSettings.of(Configs.defaults(PeeringConfig.class)));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-net-peering");
      t.setDaemon(true);
      return t;
    });
    host.addConnectionListener(listener);
    settings.peers().forEach(this::add);
  }

  @Modified
  void modified(PeeringConfig config) {
    Configs.validate(PID, config, PeeringSettings::of, log).ifPresent(next -> {
      PeeringSettings previous = settings;
      settings = next;
      for (PeerId gone : previous.peers().keySet()) {
        if (!next.peers().containsKey(gone)) {
          remove(gone);
        }
      }
      next.peers().forEach((peer, addresses) -> {
        if (!addresses.equals(previous.peers().get(peer))) {
          add(peer, addresses);
        }
      });
    });
  }

  @Deactivate
  void deactivate() {
    host.removeConnectionListener(listener);
    timer.shutdownNow();
    ConnManager cm = connManager;
    if (cm != null) {
      peers.keySet().forEach(p -> cm.unprotect(p, PROTECT_TAG));
    }
  }

  /** The connection manager, when the network layer runs: peering peers are protected there. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindConnManager(ConnManager cm) {
    connManager = cm;
    peers.keySet().forEach(p -> cm.protect(p, PROTECT_TAG));
  }

  void unbindConnManager(ConnManager cm) {
    if (connManager == cm) {
      connManager = null;
    }
  }

  @Override
  public void add(PeerId peer, List<Multiaddr> addresses) {
    if (peer.equals(host.peerId())) {
      throw new IllegalArgumentException("a node does not peer with itself");
    }
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no address to dial " + peer + " at");
    }
    List<Multiaddr> bare = addresses.stream().map(Multiaddr::withoutPeerId).distinct().toList();
    synchronized (this) {
      Peer previous = peers.put(peer, new Peer(bare, settings.initialBackoff()));
      if (previous != null) {
        cancel(previous);
      }
    }
    ConnManager cm = connManager;
    if (cm != null) {
      cm.protect(peer, PROTECT_TAG);
    }
    if (host.connection(peer).isEmpty()) {
      dial(peer);
    }
  }

  @Override
  public boolean remove(PeerId peer) {
    Peer gone;
    synchronized (this) {
      gone = peers.remove(peer);
      if (gone != null) {
        cancel(gone);
      }
    }
    ConnManager cm = connManager;
    if (gone != null && cm != null) {
      cm.unprotect(peer, PROTECT_TAG);
    }
    return gone != null;
  }

  @Override
  public Map<PeerId, List<Multiaddr>> peers() {
    Map<PeerId, List<Multiaddr>> out = new LinkedHashMap<>();
    peers.forEach((id, p) -> out.put(id, p.addresses));
    return out;
  }

  /** Dials the peer's addresses in turn; if none answers, another round after the next backoff. */
  private void dial(PeerId peer) {
    Peer p = peers.get(peer);
    if (p == null) {
      return;
    }
    dialFrom(peer, p, 0).whenComplete((connection, error) -> {
      if (error != null && peers.get(peer) == p && host.connection(peer).isEmpty()) {
        log.debug("peering: cannot reach {}: {}", peer, error.getMessage());
        scheduleRedial(peer);
      }
    });
  }

  private CompletableFuture<Connection> dialFrom(PeerId peer, Peer p, int index) {
    return host.connect(p.addresses.get(index).withPeerId(peer)).exceptionallyCompose(error ->
        index + 1 < p.addresses.size() ? dialFrom(peer, p, index + 1) : CompletableFuture.failedFuture(error));
  }

  /** The next dial after the peer's backoff, which then grows (boxo's nextBackoff). */
  private synchronized void scheduleRedial(PeerId peer) {
    Peer p = peers.get(peer);
    if (p == null || (p.redial != null && !p.redial.isDone())) {
      return;
    }
    Duration delay = p.backoff;
    p.backoff = next(p.backoff, settings.maxBackoff());
    try {
      p.redial = timer.schedule(() -> {
        if (host.connection(peer).isEmpty()) {
          dial(peer);
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // Deactivated: no more redials.
    }
  }

  /** boxo: the delay grows by half of itself plus a random part of itself; past the maximum it is the maximum less up to 10%. */
  Duration next(Duration current, Duration max) {
    long ms = current.toMillis();
    long grown = ms + ms / 2 + random.nextLong(Math.max(1, ms));
    if (grown <= max.toMillis()) {
      return Duration.ofMillis(grown);
    }
    long jitter = random.nextLong(Math.max(1, max.toMillis() / 10));
    return Duration.ofMillis(max.toMillis() - jitter);
  }

  private static void cancel(Peer p) {
    if (p.redial != null) {
      p.redial.cancel(false);
      p.redial = null;
    }
  }
}
