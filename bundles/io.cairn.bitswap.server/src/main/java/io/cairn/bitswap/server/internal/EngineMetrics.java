package io.cairn.bitswap.server.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.cairn.bitswap.message.BlockPayload;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Boxo's engine metrics that only the engine can count: its task gauges (wants being served, their
 * blockstore lookups running and waiting), sizes of the blocks sent and how long sending a message
 * took. The only class of this bundle that touches {@code com.codahale.metrics} (an optional import).
 * Reservoirs are lock-free: sends complete on the network threads.
 */
final class EngineMetrics implements AutoCloseable {
  static final String ACTIVE_TASKS = "ipfs_bitswap_active_tasks";
  static final String ACTIVE_BLOCK_TASKS = "ipfs_bitswap_active_block_tasks";
  static final String PENDING_BLOCK_TASKS = "ipfs_bitswap_pending_block_tasks";
  static final String SENT_ALL_BLOCKS_BYTES = "ipfs_bitswap_sent_all_blocks_bytes";
  static final String SEND_TIMES = "ipfs_bitswap_send_times";

  private final MetricRegistry registry;
  private final Histogram sentBlocks;
  private final Timer sendTimes;

  /** @param registry a {@code com.codahale.metrics.MetricRegistry} */
  EngineMetrics(Object registry, IntSupplier activeTasks, IntSupplier activeBlockTasks, IntSupplier pendingBlockTasks) {
    this.registry = (MetricRegistry) registry;
    this.sentBlocks = this.registry.histogram(SENT_ALL_BLOCKS_BYTES,
        () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
    this.sendTimes = this.registry.timer(SEND_TIMES, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    gauge(ACTIVE_TASKS, activeTasks);
    gauge(ACTIVE_BLOCK_TASKS, activeBlockTasks);
    gauge(PENDING_BLOCK_TASKS, pendingBlockTasks);
  }

  private void gauge(String name, IntSupplier value) {
    // A gauge left by an engine that went without unbinding is replaced: this engine's counts are the live ones.
    registry.remove(name);
    registry.register(name, (Gauge<Integer>) value::getAsInt);
  }

  Object registry() {
    return registry;
  }

  /** A message went out: its blocks' sizes, and the time from handing it to the network until it was written. */
  void sent(List<BlockPayload> blocks, long nanos) {
    for (BlockPayload b : blocks) {
      sentBlocks.update(b.data().length);
    }
    sendTimes.update(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    for (String name : List.of(ACTIVE_TASKS, ACTIVE_BLOCK_TASKS, PENDING_BLOCK_TASKS, SENT_ALL_BLOCKS_BYTES, SEND_TIMES)) {
      registry.remove(name);
    }
  }
}
