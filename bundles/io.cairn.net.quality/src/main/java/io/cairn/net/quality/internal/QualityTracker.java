package io.cairn.net.quality.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Host;
import io.cairn.multiformats.PeerId;
import io.cairn.net.Bandwidth;
import io.cairn.net.BandwidthMonitor;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.ConnectionQuality;
import io.cairn.node.config.Configs;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * {@link ConnectionQualities} of the host's peers: a peer is tracked while connected (a
 * {@link ConnectionListener}); once a second its connections' muxer round trips (yamux measures one at
 * connect and at each keep-alive) and its rates from the {@link BandwidthMonitor}, when one runs, are
 * taken into its {@link QualityBook} entry; protocols report their requests' outcomes and their own
 * round trips.
 */
@Component(service = ConnectionQualities.class, configurationPid = QualityTracker.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = QualityConfig.class)
public class QualityTracker implements ConnectionQualities {
  public static final String PID = "io.cairn.net.quality";
  static final long SAMPLE_SECONDS = 1;

  private final Host host;
  private final Logger log;
  private final QualityBook book;
  private final ScheduledExecutorService sampler;
  private final ConnectionListener listener = new ConnectionListener() {
    @Override
    public void connected(Connection connection) {
      book.connected(connection.remotePeer());
    }

    @Override
    public void disconnected(Connection connection) {
      if (host.connection(connection.remotePeer()).isEmpty()) {
        book.disconnected(connection.remotePeer());
      }
    }
  };
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile BandwidthMonitor bandwidth;

  @Activate
  public QualityTracker(@Reference Host host, @Reference(service = LoggerFactory.class) Logger log, QualityConfig config) {
    this.host = host;
    this.log = log;
    this.book = new QualityBook(Configs.validate(PID, config, QualitySettings::of, log)
        .orElseGet(() -> QualitySettings.of(Configs.defaults(QualityConfig.class))), System::nanoTime, Clock.systemUTC());
    host.addConnectionListener(listener);
    // Peers connected before this component started.
    host.connections().forEach(c -> book.connected(c.remotePeer()));
    this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-net-quality");
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleWithFixedDelay(this::sample, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
  }

  @Modified
  void modified(QualityConfig config) {
    Configs.validate(PID, config, QualitySettings::of, log).ifPresent(book::settings);
  }

  @Deactivate
  void deactivate() {
    host.removeConnectionListener(listener);
    sampler.shutdownNow();
  }

  /** Once a second: the muxers' round trips and the bandwidth monitor's rates of every tracked peer. */
  void sample() {
    try {
      BandwidthMonitor monitor = bandwidth;
      for (PeerId peer : book.peers()) {
        host.connection(peer).flatMap(Connection::roundTrip).ifPresent(rtt -> book.muxerRoundTrip(peer, rtt));
        if (monitor != null) {
          Bandwidth b = monitor.peer(peer).orElse(Bandwidth.NONE);
          book.traffic(peer, Math.round(b.rateIn()), Math.round(b.rateOut()), b.totalIn());
        }
      }
    } catch (RuntimeException e) {
      // A sampler that dies stops every later sample: log it and go on next second.
      log.error("sampling connection quality failed", e);
    }
  }

  @Override
  public Optional<ConnectionQuality> connectionQuality(PeerId peer) {
    return book.quality(peer);
  }

  @Override
  public List<ConnectionQuality> all() {
    return book.all();
  }

  @Override
  public void succeeded(PeerId peer) {
    book.outcome(peer, false);
  }

  @Override
  public void failed(PeerId peer, Failure failure) {
    log.debug("a request to {} failed: {}", peer, failure);
    book.outcome(peer, true);
  }

  @Override
  public void measured(PeerId peer, Duration roundTrip) {
    book.roundTrip(peer, roundTrip);
  }
}
