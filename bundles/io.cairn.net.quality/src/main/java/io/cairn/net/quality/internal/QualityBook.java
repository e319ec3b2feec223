package io.cairn.net.quality.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnectionQuality;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The quality of each connected peer, fed by whoever measures it: round trips into a moving average,
 * rates as the bandwidth monitor has them, request outcomes into decaying counts (each request's weight
 * halves every half-life, so the error rate follows what the peer does now), and when it was last seen.
 * A peer is known from its first connection to its last disconnection. Any thread.
 */
final class QualityBook {
  private final Map<PeerId, PeerQuality> peers = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private final Clock clock;
  private volatile QualitySettings settings;

  QualityBook(QualitySettings settings, LongSupplier nanoTime, Clock clock) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.clock = clock;
  }

  void settings(QualitySettings next) {
    settings = next;
  }

  void connected(PeerId peer) {
    peers.computeIfAbsent(peer, p -> new PeerQuality(nanoTime.getAsLong())).seen(nanoTime.getAsLong());
  }

  void disconnected(PeerId peer) {
    peers.remove(peer);
  }

  Iterable<PeerId> peers() {
    return peers.keySet();
  }

  /** A measured round trip; ignored for a peer not connected. */
  void roundTrip(PeerId peer, Duration rtt) {
    PeerQuality q = peers.get(peer);
    if (q != null && !rtt.isNegative() && !rtt.isZero()) {
      q.roundTrip(rtt.toNanos(), settings.latencySmoothing());
    }
  }

  /** The muxer's latest round trip: a new measurement only if it changed since the last one taken. */
  void muxerRoundTrip(PeerId peer, Duration rtt) {
    PeerQuality q = peers.get(peer);
    if (q != null && q.newMuxerRoundTrip(rtt.toNanos())) {
      roundTrip(peer, rtt);
    }
  }

  /** The peer's rates now, and its total received: anything new received means it was seen. */
  void traffic(PeerId peer, long rateIn, long rateOut, long totalIn) {
    PeerQuality q = peers.get(peer);
    if (q != null) {
      q.traffic(rateIn, rateOut, totalIn, nanoTime.getAsLong());
    }
  }

  void outcome(PeerId peer, boolean failed) {
    PeerQuality q = peers.get(peer);
    if (q != null) {
      long now = nanoTime.getAsLong();
      q.outcome(failed, now, settings.errorHalfLifeNanos());
      if (!failed) {
        q.seen(now);
      }
    }
  }

  Optional<ConnectionQuality> quality(PeerId peer) {
    PeerQuality q = peers.get(peer);
    return q == null ? Optional.empty() : Optional.of(q.snapshot(peer, nanoTime.getAsLong(), clock.instant(),
        settings.errorHalfLifeNanos()));
  }

  List<ConnectionQuality> all() {
    long now = nanoTime.getAsLong();
    Instant wall = clock.instant();
    long halfLife = settings.errorHalfLifeNanos();
    List<ConnectionQuality> out = new ArrayList<>(peers.size());
    peers.forEach((peer, q) -> out.add(q.snapshot(peer, now, wall, halfLife)));
    return out;
  }

  /** One peer's measurements; its methods hold its lock for a few arithmetic steps. */
  private static final class PeerQuality {
    /** Nanoseconds; negative until the first measurement. */
    private double latency = -1;
    private long muxerRoundTrip;
    private long rateIn;
    private long rateOut;
    private long totalIn;
    /** Decayed request and failure weights, as of {@link #decayedAt}. */
    private double requests;
    private double failures;
    private long decayedAt;
    private long seenAt;

    PeerQuality(long now) {
      decayedAt = now;
      seenAt = now;
    }

    synchronized void seen(long now) {
      seenAt = now;
    }

    synchronized void roundTrip(long nanos, double smoothing) {
      latency = latency < 0 ? nanos : latency + smoothing * (nanos - latency);
    }

    synchronized boolean newMuxerRoundTrip(long nanos) {
      if (nanos == muxerRoundTrip) {
        return false;
      }
      muxerRoundTrip = nanos;
      return true;
    }

    synchronized void traffic(long in, long out, long received, long now) {
      rateIn = in;
      rateOut = out;
      if (received > totalIn) {
        seenAt = now;
      }
      totalIn = received;
    }

    synchronized void outcome(boolean failed, long now, long halfLifeNanos) {
      decay(now, halfLifeNanos);
      requests += 1;
      if (failed) {
        failures += 1;
      }
    }

    private void decay(long now, long halfLifeNanos) {
      long elapsed = now - decayedAt;
      if (elapsed > 0) {
        double factor = Math.pow(0.5, (double) elapsed / halfLifeNanos);
        requests *= factor;
        failures *= factor;
        decayedAt = now;
      }
    }

    synchronized ConnectionQuality snapshot(PeerId peer, long now, Instant wall, long halfLifeNanos) {
      decay(now, halfLifeNanos);
      Optional<Duration> rtt = latency < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(latency)));
      double errorRate = requests <= 0 ? 0 : Math.min(1, failures / requests);
      return new ConnectionQuality(peer, rtt, rateIn, rateOut, errorRate, requests, wall.minusNanos(now - seenAt));
    }
  }
}
