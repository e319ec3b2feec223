package io.cairn.net.routing.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.PeerId;
import io.cairn.net.BandwidthLimitException;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.ConnectionQuality;
import io.cairn.net.ErrorRateException;
import io.cairn.net.HighLatencyException;
import io.cairn.net.RouteException;
import io.cairn.net.spi.RouteOptimizer;
import io.cairn.node.config.Configs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The route optimizer of the seed, as a {@link RouteOptimizer} strategy ({@code cairn.strategy=quality}):
 * a peer is bypassed while its round trip is past the latency threshold, its requests fail past the error
 * rate threshold, or, asked for blocks for a while, it delivers slower than the bandwidth threshold. The
 * round trip is its own view, fresher than the connection quality's average: peers it routes to are pinged
 * through their muxer at most once per probe interval, a new measurement weighing half, and a probe still
 * unanswered counts as a round trip at least as long as it has waited (a path that stalls is seen as it
 * stalls). Every measurement also goes to connection quality.
 *
 * <p>Ranked below the {@code static} routing (0 against 10): in bench/provider-fault.sh it was not better
 * than static under a slowed path and worse under a bandwidth cap alone (BENCHMARKS.md, "A provider goes
 * bad mid-fetch"), so an operator selects it ({@code routeOptimizer.target=(cairn.strategy=quality)} in
 * io.cairn.bitswap.client) until it shows a benefit.
 */
@Component(property = {RouteOptimizer.STRATEGY + "=quality", "service.ranking:Integer=0"},
    configurationPid = QualityRouteOptimizer.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RoutingConfig.class)
public class QualityRouteOptimizer implements RouteOptimizer {
  public static final String PID = "io.cairn.net.routing";
  /** A peer asked within this long is busy: its delivery rate says something. */
  static final long BUSY_NANOS = 2_000_000_000L;
  /** How long a busy period must last before its rate is judged (the rate is a one-second moving average). */
  static final long JUDGE_RATE_AFTER_NANOS = 2_000_000_000L;
  /** {@code lastAskedAt} of a peer never asked. */
  private static final long NEVER = Long.MIN_VALUE;

  /** What the optimizer measures of one peer; guarded by itself. */
  private static final class Route {
    /** Nanoseconds; negative before the first answered probe. */
    double roundTrip = -1;
    long probeSentAt;
    boolean probing;
    long lastAskedAt = NEVER;
    long busySince;
  }

  private final Host host;
  private final ConnectionQualities qualities;
  private final Logger log;
  private final LongSupplier nanoTime;
  private final Map<PeerId, Route> routes = new ConcurrentHashMap<>();
  private volatile RoutingSettings settings;
  private final ConnectionListener listener = new ConnectionListener() {
    @Override
    public void disconnected(Connection connection) {
      if (host.connection(connection.remotePeer()).isEmpty()) {
        routes.remove(connection.remotePeer());
      }
    }
  };

  @Activate
  public QualityRouteOptimizer(@Reference Host host, @Reference ConnectionQualities qualities,
      @Reference(service = LoggerFactory.class) Logger log, RoutingConfig config) {
    this(host, qualities, log, config, System::nanoTime);
  }

  QualityRouteOptimizer(Host host, ConnectionQualities qualities, Logger log, RoutingConfig config, LongSupplier nanoTime) {
    this.host = host;
    this.qualities = qualities;
    this.log = log;
    this.nanoTime = nanoTime;
    this.settings = Configs.validate(PID, config, RoutingSettings::of, log)
        .orElseGet(() -> RoutingSettings.of(Configs.defaults(RoutingConfig.class)));
    host.addConnectionListener(listener);
  }

  @Modified
  void modified(RoutingConfig config) {
    Configs.validate(PID, config, RoutingSettings::of, log).ifPresent(next -> settings = next);
  }

  @Deactivate
  void deactivate() {
    host.removeConnectionListener(listener);
  }

  @Override
  public List<PeerId> rank(List<PeerId> candidates) {
    if (candidates.size() < 2) {
      candidates.forEach(this::assess); // keeps probing the one there is
      return candidates;
    }
    List<PeerId> ranked = new ArrayList<>(candidates);
    Map<PeerId, Boolean> bypassed = new java.util.HashMap<>();
    for (PeerId p : candidates) {
      bypassed.put(p, assess(p).isPresent());
    }
    ranked.sort(Comparator.comparing(bypassed::get));
    return ranked;
  }

  @Override
  public Optional<PeerId> moveFrom(PeerId current, long waitedNanos, List<PeerId> alternatives) {
    asked(current);
    if (waitedNanos < settings.moveAfter().toNanos()) {
      return Optional.empty();
    }
    Optional<RouteException> why = assess(current);
    if (why.isEmpty()) {
      return Optional.empty();
    }
    for (PeerId alternative : rank(alternatives)) {
      if (assess(alternative).isEmpty()) {
        log.debug("moving a want from {} to {}: {}", current, alternative, why.get().getMessage());
        return Optional.of(alternative);
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<RouteException> assess(PeerId peer) {
    RoutingSettings s = settings;
    long now = nanoTime.getAsLong();
    Route r = routes.computeIfAbsent(peer, p -> new Route());
    probe(peer, r, now, s);
    Optional<ConnectionQuality> q = qualities.connectionQuality(peer);
    long rtt;
    boolean busyLongEnough;
    synchronized (r) {
      rtt = (long) Math.max(r.roundTrip, r.probing ? now - r.probeSentAt : -1);
      busyLongEnough = r.lastAskedAt != NEVER && now - r.lastAskedAt < BUSY_NANOS
          && now - r.busySince >= JUDGE_RATE_AFTER_NANOS;
    }
    if (rtt < 0) {
      rtt = q.flatMap(ConnectionQuality::latency).map(Duration::toNanos).orElse(-1L);
    }
    if (rtt > s.latencyThreshold().toNanos()) {
      return Optional.of(new HighLatencyException(peer, Duration.ofNanos(rtt), s.latencyThreshold()));
    }
    if (q.isPresent()) {
      ConnectionQuality quality = q.get();
      if (quality.requests() >= s.minRequests() && quality.errorRate() > s.errorRateThreshold()) {
        return Optional.of(new ErrorRateException(peer, quality.errorRate(), s.errorRateThreshold()));
      }
      if (busyLongEnough && quality.bandwidthIn() < s.bandwidthThreshold()) {
        return Optional.of(new BandwidthLimitException(peer, quality.bandwidthIn(), s.bandwidthThreshold()));
      }
    }
    return Optional.empty();
  }

  /** The peer has a want waiting: it is busy, and its delivery rate will say how it serves. */
  private void asked(PeerId peer) {
    long now = nanoTime.getAsLong();
    Route r = routes.computeIfAbsent(peer, p -> new Route());
    synchronized (r) {
      if (r.lastAskedAt == NEVER || now - r.lastAskedAt >= BUSY_NANOS) {
        r.busySince = now;
      }
      r.lastAskedAt = now;
    }
  }

  /** A muxer ping to the peer, unless one is in flight or the last went within the probe interval. */
  private void probe(PeerId peer, Route r, long now, RoutingSettings s) {
    synchronized (r) {
      if (r.probing || (r.probeSentAt != 0 && now - r.probeSentAt < s.probeInterval().toNanos())) {
        return;
      }
      r.probing = true;
      r.probeSentAt = now;
    }
    Optional<Connection> c = host.connection(peer);
    if (c.isEmpty()) {
      synchronized (r) {
        r.probing = false;
      }
      return;
    }
    c.get().ping().whenComplete((rtt, error) -> {
      synchronized (r) {
        r.probing = false;
        if (error == null) {
          double nanos = rtt.toNanos();
          r.roundTrip = r.roundTrip < 0 ? nanos : (r.roundTrip + nanos) / 2;
        }
      }
      if (error == null) {
        qualities.measured(peer, rtt);
      }
    });
  }
}
