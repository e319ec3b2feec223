package io.cairn.bitswap.client.internal;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;

/**
 * Boxo's client metrics that only the receive path can count: sizes of every block received and of the
 * duplicates among them, and HAVEs received. The only class of this bundle that touches
 * {@code com.codahale.metrics} (an optional import). Reservoirs are lock-free: updates come from the
 * network threads.
 */
final class ClientMetrics implements AutoCloseable {
  static final String RECV_ALL_BLOCKS_BYTES = "ipfs_bitswap_recv_all_blocks_bytes";
  static final String RECV_DUP_BLOCKS_BYTES = "ipfs_bitswap_recv_dup_blocks_bytes";
  static final String HAVES_RECEIVED = "ipfs_bitswap_haves_received";

  private final MetricRegistry registry;
  private final Histogram all;
  private final Histogram dup;
  private final Counter haves;

  /** @param registry a {@code com.codahale.metrics.MetricRegistry} */
  ClientMetrics(Object registry) {
    this.registry = (MetricRegistry) registry;
    this.all = this.registry.histogram(RECV_ALL_BLOCKS_BYTES, ClientMetrics::histogram);
    this.dup = this.registry.histogram(RECV_DUP_BLOCKS_BYTES, ClientMetrics::histogram);
    this.haves = this.registry.counter(HAVES_RECEIVED);
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
    registry.remove(RECV_ALL_BLOCKS_BYTES);
    registry.remove(RECV_DUP_BLOCKS_BYTES);
    registry.remove(HAVES_RECEIVED);
  }
}
