package io.cairn.net.connmgr.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Host;
import io.cairn.libp2p.InboundGate;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnManagerInfo;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.ConnectionQuality;
import io.cairn.net.TagInfo;
import io.cairn.net.spi.BasicTrimOrder;
import io.cairn.net.spi.TrimCandidate;
import io.cairn.net.spi.TrimOrder;
import io.cairn.node.config.Configs;
import io.cairn.node.strategy.Strategies;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
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
 * The seed's {@code AdaptiveConnManager}, go-libp2p's {@code BasicConnMgr} at heart: it follows the
 * host's connections ({@link ConnectionListener}) in a {@link ConnTable}; once the count passes high water
 * it trims on its own thread, at most once per silence period: the peers it may disconnect (connected, not
 * protected, past their grace period) sorted by the {@link TrimOrder} in use, whose connections are closed
 * until only low water of them remain. It also refuses inbound connections past its ceiling at accept (an
 * {@link InboundGate}), so a flood cannot outrun the trims. The gate is registered by the manager once it
 * runs, not declared to DS: the host binds gates and the manager needs the host, and a declared gate would
 * make SCR activate the manager inside the host's own activation (a reference cycle).
 *
 * <p>{@link #trim()} trims at once (still respecting protection and grace), joining one in progress; a
 * configuration change that lowers high water under the count does too (the seed's SetDynamicLimits).
 */
@Component(service = ConnManager.class, configurationPid = AdaptiveConnManager.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ConnManagerConfig.class)
public class AdaptiveConnManager implements ConnManager, InboundGate {
  public static final String PID = "io.cairn.net.connmgr";

  private final Host host;
  private final Logger log;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final ConnTable<Connection> table = new ConnTable<>();
  private final Strategies<TrimOrder> orders;
  private final ScheduledExecutorService trimmer;
  private final LongAdder trimmed = new LongAdder();
  /** The trim queued or running, joined by whoever asks meanwhile; null when none is. */
  private final AtomicReference<CompletableFuture<Integer>> pending = new AtomicReference<>();
  private volatile ConnManagerSettings settings;
  /** {@link #nanoTime} of the last trim's start, and its wall time; 0 / null before the first. */
  private volatile long lastTrim;
  private volatile Instant lastTrimAt;
  /** The periodic check; replaced when the silence period changes. */
  private ScheduledFuture<?> checks;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ConnectionQualities qualities;

  private final ConnectionListener listener = new ConnectionListener() {
    @Override
    public void connected(Connection connection) {
      track(connection);
      if (table.connections() > settings.highWater()) {
        requestTrim(false);
      }
    }

    @Override
    public void disconnected(Connection connection) {
      table.disconnected(connection.remotePeer(), connection);
    }
  };

  /** The gate's registration, while the manager runs in a framework. */
  private ServiceRegistration<InboundGate> gate;

  @Activate
  public AdaptiveConnManager(BundleContext context, @Reference Host host,
      @Reference(service = LoggerFactory.class) Logger log, ConnManagerConfig config) {
    this(host, log, config, System::nanoTime, Clock.systemUTC());
    gate = context.registerService(InboundGate.class, this, null);
  }

  AdaptiveConnManager(Host host, Logger log, ConnManagerConfig config, LongSupplier nanoTime, Clock clock) {
    this.host = host;
    this.log = log;
    this.nanoTime = nanoTime;
    this.clock = clock;
    this.orders = new Strategies<>("connection manager trim order", BasicTrimOrder.INSTANCE, "basic (built-in)", log);
    this.settings = Configs.validate(PID, config, ConnManagerSettings::of, log)
        .orElseGet(() -> ConnManagerSettings.of(Configs.defaults(ConnManagerConfig.class)));
    this.trimmer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-net-connmgr");
      t.setDaemon(true);
      return t;
    });
    host.addConnectionListener(listener);
    host.connections().forEach(this::track);
    scheduleChecks(settings);
  }

  @Modified
  void modified(ConnManagerConfig config) {
    Configs.validate(PID, config, ConnManagerSettings::of, log).ifPresent(next -> {
      ConnManagerSettings previous = settings;
      settings = next;
      if (!next.silencePeriod().equals(previous.silencePeriod())) {
        scheduleChecks(next);
      }
      if (table.connections() > next.highWater()) {
        requestTrim(true);
      }
    });
  }

  @Deactivate
  void deactivate() {
    if (gate != null) {
      gate.unregister();
      gate = null;
    }
    host.removeConnectionListener(listener);
    trimmer.shutdownNow();
    CompletableFuture<Integer> waiting = pending.getAndSet(null);
    if (waiting != null) {
      waiting.complete(0);
    }
  }

  /** go-libp2p's background check: every silence period, a trim if the count is over high water. */
  private synchronized void scheduleChecks(ConnManagerSettings s) {
    if (checks != null) {
      checks.cancel(false);
    }
    long period = s.silencePeriod().toNanos();
    checks = trimmer.scheduleWithFixedDelay(() -> {
      if (table.connections() > settings.highWater()) {
        requestTrim(false);
      }
    }, period, period, TimeUnit.NANOSECONDS);
  }

  private void track(Connection c) {
    table.connected(c.remotePeer(), c, new ConnTable.Conn(c.direction() == Direction.INBOUND, c.opened(),
        c.remoteAddress().toString()), nanoTime.getAsLong(), clock.instant());
  }

  // ---- strategies

  @Reference(name = "trimOrder", service = TrimOrder.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindTrimOrder(TrimOrder order, Map<String, Object> props) {
    orders.bind(order, props);
  }

  void updatedTrimOrder(TrimOrder order, Map<String, Object> props) {
    orders.updated(order, props);
  }

  void unbindTrimOrder(TrimOrder order) {
    orders.unbind(order);
  }

  /** The trim order in use ({@code cairn.strategy}). */
  String trimOrderInUse() {
    return orders.inUse();
  }

  // ---- trimming

  /**
   * Queues a trim on the manager's thread unless one is queued or running (which the caller joins); it
   * runs at once if {@code now} or the silence period has passed since the last, else when it has.
   */
  private CompletableFuture<Integer> requestTrim(boolean now) {
    CompletableFuture<Integer> mine = new CompletableFuture<>();
    CompletableFuture<Integer> existing = pending.compareAndExchange(null, mine);
    if (existing != null) {
      return existing;
    }
    long delay = 0;
    if (!now && lastTrimAt != null) {
      delay = Math.max(0, lastTrim + settings.silencePeriod().toNanos() - nanoTime.getAsLong());
    }
    try {
      trimmer.schedule(() -> {
        int closed = 0;
        try {
          closed = trimNow();
        } catch (RuntimeException e) {
          log.error("trimming connections failed", e);
        } finally {
          pending.compareAndSet(mine, null);
          mine.complete(closed);
        }
      }, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopped) {
      pending.compareAndSet(mine, null);
      mine.complete(0);
    }
    return mine;
  }

  /** One trim, on the manager's thread: answers how many connections it closed. */
  int trimNow() {
    ConnManagerSettings s = settings;
    long now = nanoTime.getAsLong();
    lastTrim = now;
    lastTrimAt = clock.instant();
    int count = table.connections();
    if (count <= s.lowWater()) {
      return 0;
    }
    List<ConnTable.Candidate<Connection>> found = table.candidates(now - s.gracePeriod().toNanos());
    int candidateConns = found.stream().mapToInt(c -> c.conns().size()).sum();
    if (candidateConns < s.lowWater()) {
      log.debug("{} connections, but only {} of them may be trimmed (protected or in their grace period)", count,
          candidateConns);
      return 0;
    }
    ConnectionQualities q = qualities;
    List<Ranked> ranked = new ArrayList<>(found.size());
    for (ConnTable.Candidate<Connection> c : found) {
      int streams = 0;
      boolean inbound = false;
      for (Map.Entry<Connection, ConnTable.Conn> e : c.conns().entrySet()) {
        streams += e.getKey().streamCount();
        inbound |= e.getValue().inbound();
      }
      Optional<ConnectionQuality> quality = q == null ? Optional.empty() : q.connectionQuality(c.peer());
      ranked.add(new Ranked(new TrimCandidate(c.peer(), c.value(), c.conns().size(), streams, inbound, quality), c));
    }
    Comparator<TrimCandidate> order = orders.apply(TrimOrder::order);
    try {
      ranked.sort(Comparator.comparing(Ranked::candidate, order));
    } catch (RuntimeException e) {
      // A comparator that throws (or breaks its contract) fails at sort time, not at order(): the built-in order then.
      log.error("trim order {} failed to sort; trimming in go-libp2p's order", orders.inUse(), e);
      ranked.sort(Comparator.comparing(Ranked::candidate, BasicTrimOrder.INSTANCE.order()));
    }
    int target = candidateConns - s.lowWater();
    int closed = 0;
    for (Ranked r : ranked) {
      if (target <= 0) {
        break;
      }
      for (Connection c : r.entry().conns().keySet()) {
        c.close();
        closed++;
      }
      target -= r.entry().conns().size();
    }
    trimmed.add(closed);
    log.info("trimmed {} connections of {} (high water {}, low water {}; {} protected peers)", closed, count,
        s.highWater(), s.lowWater(), table.protectedPeers());
    return closed;
  }

  private record Ranked(TrimCandidate candidate, ConnTable.Candidate<Connection> entry) {}

  // ---- ConnManager

  @Override
  public void tagPeer(PeerId peer, String tag, int value) {
    table.upsert(peer, tag, old -> value, nanoTime.getAsLong(), clock.instant());
  }

  @Override
  public void untagPeer(PeerId peer, String tag) {
    table.untag(peer, tag);
  }

  @Override
  public void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert) {
    table.upsert(peer, tag, upsert, nanoTime.getAsLong(), clock.instant());
  }

  @Override
  public void protect(PeerId peer, String tag) {
    table.protect(peer, tag);
  }

  @Override
  public boolean unprotect(PeerId peer, String tag) {
    return table.unprotect(peer, tag);
  }

  @Override
  public boolean isProtected(PeerId peer, String tag) {
    return table.isProtected(peer, tag);
  }

  @Override
  public Optional<TagInfo> tagInfo(PeerId peer) {
    return table.tagInfo(peer);
  }

  @Override
  public ConnManagerInfo info() {
    ConnManagerSettings s = settings;
    return new ConnManagerInfo(s.lowWater(), s.highWater(), s.gracePeriod(), s.silencePeriod(), table.connections(),
        table.protectedPeers(), Optional.ofNullable(lastTrimAt), trimmed.sum());
  }

  @Override
  public CompletableFuture<Integer> trim() {
    return requestTrim(true);
  }

  // ---- InboundGate

  @Override
  public Optional<String> refuse(InetSocketAddress remote) {
    int count = table.inbound();
    int ceiling = settings.maxInbound();
    if (count < ceiling) {
      return Optional.empty();
    }
    return Optional.of(count + " inbound connections, at the connection manager's ceiling of " + ceiling
        + " (io.cairn.net.connmgr maxInboundConnections)");
  }
}
