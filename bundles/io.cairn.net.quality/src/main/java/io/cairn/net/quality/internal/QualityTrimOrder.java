package io.cairn.net.quality.internal;

import io.cairn.net.ConnectionQuality;
import io.cairn.net.spi.BasicTrimOrder;
import io.cairn.net.spi.TrimCandidate;
import io.cairn.net.spi.TrimOrder;
import java.time.Duration;
import java.util.Comparator;
import org.osgi.service.component.annotations.Component;

/**
 * The connection manager's trim order weighing connection quality beside tags (the "value = tags
 * and connection quality"): a peer's tag value plus up to 12 points for a connection worth keeping, less
 * up to 10 for one that fails, lowest first; go-libp2p's tie-breaks after that.
 *
 * <ul>
 *   <li>bandwidth, both ways together: {@code 2 log10(1 + B/1 KiB)} points, at most 10 (1 KiB/s 0.6;
 *       100 KiB/s 4; 10 MiB/s 8): a peer data flows with now is kept over an idle one of equal tags;
 *   <li>latency: 2 points within 50 ms, 1 within the seed's LatencyThreshold (200 ms), none beyond or unknown;
 *   <li>errors: with {@code e} the error rate, weighed in fully once 20 requests back it (a peer judged on
 *       two requests loses little), the points above are scaled by {@code 1 - e} (traffic that mostly fails
 *       is not worth much) and {@code 10 e} taken off.
 * </ul>
 * The scale is that of bitswap's tags (boxo tags a session's peers 5, a peer with queued wants 10), so a
 * good connection counts like a session's interest in it, and explicit tags of 100 (a user's
 * {@code swarm/connect}) still dominate.
 */
@Component(property = {TrimOrder.STRATEGY + "=quality", "service.ranking:Integer=10"})
public class QualityTrimOrder implements TrimOrder {
  static final double MAX_BANDWIDTH_POINTS = 10;
  static final double FULL_WEIGHT_REQUESTS = 20;

  private static final Comparator<TrimCandidate> ORDER =
      Comparator.comparingDouble(QualityTrimOrder::worth).thenComparing(BasicTrimOrder.TIES);

  @Override
  public Comparator<TrimCandidate> order() {
    return ORDER;
  }

  /** The candidate's tag value with its connection's quality weighed in. */
  static double worth(TrimCandidate c) {
    return c.value() + c.quality().map(QualityTrimOrder::points).orElse(0.0);
  }

  static double points(ConnectionQuality q) {
    double bytesPerSecond = Math.max(0, q.bandwidthIn()) + Math.max(0, q.bandwidthOut());
    double bandwidth = Math.min(MAX_BANDWIDTH_POINTS, 2 * Math.log10(1 + bytesPerSecond / 1024));
    double latency = q.latency().map(QualityTrimOrder::latencyPoints).orElse(0.0);
    double errors = q.errorRate() * Math.min(1, q.requests() / FULL_WEIGHT_REQUESTS);
    return (bandwidth + latency) * (1 - errors) - 10 * errors;
  }

  private static double latencyPoints(Duration rtt) {
    long ms = rtt.toMillis();
    return ms <= 50 ? 2 : ms <= 200 ? 1 : 0;
  }
}
