package io.cairn.net.keepalive.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ConnectionListener;
import io.cairn.libp2p.Host;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.KeepAlive;
import io.cairn.node.config.Configs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
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
 * {@link KeepAlive} for the host's connections: each connection has its own round, first after a random
 * part of the interval (so a thousand connections made at once do not ping at once), then every interval.
 * A round pings through the muxer ({@link Connection#ping()}); an answer is a round trip for connection
 * quality, no answer within the timeout closes the connection (the host then tells everyone it is gone,
 * and bitswap moves what it asked of the peer elsewhere).
 */
@Component(service = KeepAlive.class, configurationPid = KeepAliveManager.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = KeepAliveConfig.class)
public class KeepAliveManager implements KeepAlive {
  public static final String PID = "io.cairn.net.keepalive";

  /** The validated {@link KeepAliveConfig}. */
  record Settings(Duration interval, Duration timeout) {
    static Settings of(KeepAliveConfig c) {
      return new Settings(Duration.ofSeconds(Configs.inRange("intervalSeconds", c.intervalSeconds(), 1, 3600)),
          Duration.ofSeconds(Configs.inRange("timeoutSeconds", c.timeoutSeconds(), 1, 600)));
    }
  }

  private final Host host;
  private final Logger log;
  private final ScheduledExecutorService timer;
  private final Map<Connection, ScheduledFuture<?>> rounds = new ConcurrentHashMap<>();
  private final LongAdder pings = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private volatile Settings settings;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ConnectionQualities qualities;

  private final ConnectionListener listener = new ConnectionListener() {
    @Override
    public void connected(Connection connection) {
      schedule(connection, firstDelay());
    }

    @Override
    public void disconnected(Connection connection) {
      ScheduledFuture<?> round = rounds.remove(connection);
      if (round != null) {
        round.cancel(false);
      }
    }
  };

  @Activate
  public KeepAliveManager(@Reference Host host, @Reference(service = LoggerFactory.class) Logger log, KeepAliveConfig config) {
    this.host = host;
    this.log = log;
    this.settings = Configs.validate(PID, config, Settings::of, log)
        .orElseGet(() -> Settings.of(Configs.defaults(KeepAliveConfig.class)));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-net-keepalive");
      t.setDaemon(true);
      return t;
    });
    host.addConnectionListener(listener);
    host.connections().forEach(c -> schedule(c, firstDelay()));
  }

  @Modified
  void modified(KeepAliveConfig config) {
    Configs.validate(PID, config, Settings::of, log).ifPresent(next -> settings = next);
  }

  @Deactivate
  void deactivate() {
    host.removeConnectionListener(listener);
    timer.shutdownNow();
    rounds.clear();
  }

  /** A connection's first round comes after a random part of the interval, spreading the pings of a burst of connections. */
  private long firstDelay() {
    long interval = settings.interval().toNanos();
    return interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1);
  }

  private void schedule(Connection c, long delayNanos) {
    try {
      rounds.put(c, timer.schedule(() -> round(c), delayNanos, TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException stopped) {
      // Deactivated meanwhile: nothing to keep alive.
    }
    if (!c.isOpen()) {
      // Closed between the listener's call and here: the disconnection may have come first.
      ScheduledFuture<?> round = rounds.remove(c);
      if (round != null) {
        round.cancel(false);
      }
    }
  }

  /** One round: a ping, the next round once it is judged. */
  private void round(Connection c) {
    if (!c.isOpen()) {
      rounds.remove(c);
      return;
    }
    Settings s = settings;
    c.ping().orTimeout(s.timeout().toNanos(), TimeUnit.NANOSECONDS).whenComplete((rtt, error) -> {
      ConnectionQualities q = qualities;
      if (error == null) {
        pings.increment();
        if (q != null) {
          q.measured(c.remotePeer(), rtt);
        }
        if (rounds.containsKey(c)) {
          schedule(c, s.interval().toNanos());
        }
      } else if (error instanceof TimeoutException) {
        closed.increment();
        log.debug("{}: no answer to a keep-alive ping within {} s; closing the connection", c, s.timeout().toSeconds());
        if (q != null) {
          q.failed(c.remotePeer(), ConnectionQualities.Failure.TIMEOUT);
        }
        c.close();
      }
      // Any other failure: the connection closed under the ping, and the host tells the listener.
    });
  }

  @Override
  public Status status() {
    Settings s = settings;
    return new Status(s.interval(), s.timeout(), rounds.size(), pings.sum(), closed.sum());
  }
}
