package io.cairn.bitswap.adaptive.internal;

/**
 * One peer's outstanding-bytes limit, moved toward its bandwidth-delay product as measured from the
 * engine's send completions: over each window (at least {@code windowNanos}), the delivery rate
 * (bytes written per second) times the mean latency of the messages (handed to the network until
 * written) is, by Little's law, the bytes the path held; the limit moves halfway toward
 * {@code gain} times that (or times the peer's RTT, if that is known and longer), within [min, max].
 * So a peer whose path keeps up while at its limit grows by up to the gain per window, a peer that
 * uses less shrinks toward what it uses, and a send failure halves it. A peer that never reads
 * completes nothing and cannot grow. Not thread-safe: the caller synchronizes.
 */
final class PeerWindow {
  private long limit;
  private long windowStart;
  private long windowBytes;
  private long windowLatencySum;
  private int windowSends;
  private long rttNanos = -1;

  PeerWindow(long initial, long now) {
    this.limit = initial;
    this.windowStart = now;
  }

  long limit() {
    return limit;
  }

  void rtt(long nanos) {
    rttNanos = nanos;
  }

  void sent(long bytes, long nanos, boolean ok, long now, AdaptiveLimits.Settings s) {
    if (!ok) {
      limit = Math.max(s.minPeerBytes(), limit / 2);
      windowStart = now;
      windowBytes = 0;
      windowLatencySum = 0;
      windowSends = 0;
      return;
    }
    windowBytes += bytes;
    windowLatencySum += Math.max(0, nanos);
    windowSends++;
    long elapsed = now - windowStart;
    if (elapsed < s.windowNanos()) {
      return;
    }
    double rate = windowBytes * 1e9 / elapsed;
    double latency = (double) windowLatencySum / windowSends;
    double delay = Math.max(latency, rttNanos);
    double target = s.gain() * rate * delay / 1e9;
    double next = limit + (target - limit) / 2;
    limit = (long) Math.max(s.minPeerBytes(), Math.min(s.maxPeerBytes(), next));
    windowStart = now;
    windowBytes = 0;
    windowLatencySum = 0;
    windowSends = 0;
  }
}
