package io.cairn.net.quality.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQualities;
import io.cairn.net.ConnectionQuality;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo {@code net:quality [peer]}: each connected peer's latency, rates each way, error rate (and how
 * many requests it weighs) and how long ago it was last seen, worst error rate first.
 */
@Component(service = QualityShellCommands.class, property = {"osgi.command.scope=net", "osgi.command.function=quality"})
public class QualityShellCommands {
  private final ConnectionQualities tracker;

  @Activate
  public QualityShellCommands(@Reference ConnectionQualities tracker) {
    this.tracker = tracker;
  }

  public String quality(String... peer) {
    List<ConnectionQuality> rows;
    if (peer.length > 0) {
      rows = tracker.connectionQuality(PeerId.parse(peer[0])).map(List::of)
          .orElseThrow(() -> new IllegalArgumentException("peer " + peer[0] + " is not connected"));
    } else {
      rows = tracker.all().stream()
          .sorted(Comparator.comparingDouble(ConnectionQuality::errorRate).reversed()
              .thenComparing(q -> q.peer().toString()))
          .toList();
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-52s %10s %12s %12s %7s %9s %9s%n",
        "peer", "latency", "in B/s", "out B/s", "errors", "requests", "seen ago"));
    Instant now = Instant.now();
    for (ConnectionQuality q : rows) {
      out.append(String.format(Locale.ROOT, "%-52s %10s %12d %12d %6.1f%% %9.1f %8.1fs%n", q.peer(),
          q.latency().map(d -> String.format(Locale.ROOT, "%.1fms", d.toNanos() / 1e6)).orElse("n/a"),
          q.bandwidthIn(), q.bandwidthOut(), 100 * q.errorRate(), q.requests(),
          Math.max(0, Duration.between(q.lastSeen(), now).toMillis()) / 1000.0));
    }
    out.append(rows.size()).append(rows.size() == 1 ? " peer" : " peers");
    return out.toString();
  }
}
