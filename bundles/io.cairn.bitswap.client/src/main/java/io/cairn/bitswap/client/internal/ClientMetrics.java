package io.cairn.bitswap.client.internal;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Boxo's client metrics that only the client can count: sizes of every block received and of the
 * duplicates among them, HAVEs received, and its want gauges (want-blocks out, want-haves broadcast). The only class of this bundle that touches
 * {@code com.codahale.metrics} (an optional import). Reservoirs are lock-free: updates come from the
 * network threads.
 */
final class ClientMetrics implements AutoCloseable {
  static final String RECV_ALL_BLOCKS_BYTES = "ipfs_bitswap_recv_all_blocks_bytes";
  static final String RECV_DUP_BLOCKS_BYTES = "ipfs_bitswap_recv_dup_blocks_bytes";
  static final String HAVES_RECEIVED = "ipfs_bitswap_haves_received";
  static final String WANT_BLOCKS = "ipfs_bitswap_want_blocks_total";
  static final String WANTHAVES_BROADCAST = "ipfs_bitswap_wanthaves_broadcast";
  /** The want window of the session that last received a block (gets it should keep in flight). */
  static final String WINDOW = "cairn_bitswap_client_window";
  /** That session's smoothed want-block round trip, and its least lately, in seconds. */
  static final String RTT = "cairn_bitswap_client_rtt_seconds";
  static final String MIN_RTT = "cairn_bitswap_client_min_rtt_seconds";
  /** That session's measured delivery rate, bytes per second. */
  static final String RATE = "cairn_bitswap_client_delivery_rate_bytes";
  /** Wants sent again to every peer after their backoff because nobody had sent the block. */
  static final String RESENDS = "cairn_bitswap_client_resends_total";
  private static final List<String> NAMES = List.of(RECV_ALL_BLOCKS_BYTES, RECV_DUP_BLOCKS_BYTES, HAVES_RECEIVED,
      WANT_BLOCKS, WANTHAVES_BROADCAST, WINDOW, RTT, MIN_RTT, RATE, RESENDS);

  private final MetricRegistry registry;
  private final Histogram all;
  private final Histogram dup;
  private final Counter haves;

  /**
   * @param registry a {@code com.codahale.metrics.MetricRegistry}
   * @param wantBlocks wants whose block is asked of a peer now
   * @param broadcast wants broadcast as want-have now
   */
  ClientMetrics(Object registry, IntSupplier wantBlocks, IntSupplier broadcast, LongSupplier resends,
      Supplier<WantWindow> window) {
    this.registry = (MetricRegistry) registry;
    this.all = this.registry.histogram(RECV_ALL_BLOCKS_BYTES, ClientMetrics::histogram);
    this.dup = this.registry.histogram(RECV_DUP_BLOCKS_BYTES, ClientMetrics::histogram);
    this.haves = this.registry.counter(HAVES_RECEIVED);
    gauge(WANT_BLOCKS, wantBlocks);
    gauge(WANTHAVES_BROADCAST, broadcast);
    gauge(WINDOW, () -> {
      WantWindow w = window.get();
      return w == null ? 0 : w.window();
    });
    doubleGauge(RTT, () -> {
      WantWindow w = window.get();
      return w == null ? 0 : w.rttNanos() / 1e9;
    });
    doubleGauge(MIN_RTT, () -> {
      WantWindow w = window.get();
      return w == null || w.minRttNanos() < 0 ? 0 : w.minRttNanos() / 1e9;
    });
    doubleGauge(RATE, () -> {
      WantWindow w = window.get();
      return w == null ? 0 : w.rate();
    });
    this.registry.remove(RESENDS);
    this.registry.register(RESENDS, (Gauge<Long>) resends::getAsLong);
  }

  private void doubleGauge(String name, DoubleSupplier value) {
    registry.remove(name);
    registry.register(name, (Gauge<Double>) value::getAsDouble);
  }

  private void gauge(String name, IntSupplier value) {
    // A gauge left by a client that went without unbinding is replaced: this client's counts are the live ones.
    registry.remove(name);
    registry.register(name, (Gauge<Integer>) value::getAsInt);
  }

  private static Histogram histogram() {
    return new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build());
  }

  Object registry() {
    return registry;
  }

  void received(BitswapMessage message) {
    for (BlockPayload b : message.blocks()) {
      all.update(b.data().length);
    }
    for (BlockPresence p : message.presences()) {
      if (p.type() == PresenceType.HAVE) {
        haves.inc();
      }
    }
  }

  void duplicate(int size) {
    dup.update(size);
  }

  @Override
  public void close() {
    for (String name : NAMES) {
      registry.remove(name);
    }
  }
}
