package io.cairn.bitswap.server.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.spi.BatchFlush;
import io.cairn.bitswap.spi.WantClass;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Boxo's engine metrics that only the engine can count: its task gauges (wants being served, their
 * blockstore lookups running and waiting), sizes of the blocks sent and how long sending a message
 * took. And the adaptive engine's: per-class latency from a want's arrival to its answer written,
 * each limit's current value (global ones, and the lowest and highest per-peer limit: no metric name
 * per peer), promoted, shed and deferred counts, memory-pressure failures, and the strategies in use
 * ({@code cairn_bitswap_strategy{kind,name}} = 1). And batching's: wants per turn
 * ({@code cairn_bitswap_batch_size}), turns by why they went ({@code cairn_bitswap_batch_flush{reason}}),
 * blockstore calls and messages sent (their ratio to wants is what batching saves). The only class of this bundle that touches
 * {@code com.codahale.metrics} (an optional import). Reservoirs are lock-free: sends complete on the
 * network threads.
 */
final class EngineMetrics implements AutoCloseable {
  static final String ACTIVE_TASKS = "ipfs_bitswap_active_tasks";
  static final String ACTIVE_BLOCK_TASKS = "ipfs_bitswap_active_block_tasks";
  static final String PENDING_BLOCK_TASKS = "ipfs_bitswap_pending_block_tasks";
  static final String SENT_ALL_BLOCKS_BYTES = "ipfs_bitswap_sent_all_blocks_bytes";
  static final String SEND_TIMES = "ipfs_bitswap_send_times";
  static final String WANT_LATENCY = "cairn_bitswap_want_latency";
  static final String LIMIT = "cairn_bitswap_limit";
  static final String PROMOTED = "cairn_bitswap_promoted";
  static final String SHED = "cairn_bitswap_shed";
  static final String DEFERRED = "cairn_bitswap_deferred";
  static final String MEMORY_PRESSURE = "cairn_bitswap_memory_pressure";
  static final String STRATEGY = "cairn_bitswap_strategy";
  static final String BATCH_SIZE = "cairn_bitswap_batch_size";
  static final String BATCH_FLUSH = "cairn_bitswap_batch_flush";
  static final String LOOKUP_CALLS = "cairn_bitswap_lookup_calls";
  static final String MESSAGES_SENT = "cairn_bitswap_messages_sent";
  /** A scrape reads several gauges; the engine's status is computed once per this many nanos. */
  private static final long STATUS_TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final MetricRegistry registry;
  private final Histogram sentBlocks;
  private final Timer sendTimes;
  private final EnumMap<WantClass, Timer> latency = new EnumMap<>(WantClass.class);
  private final Histogram batchSizes;
  private final List<String> names = new ArrayList<>();
  private final Supplier<EngineStatus> status;
  private volatile EngineStatus cached;
  private volatile long cachedAt;
  private String strategyNames = "";
  private final List<String> strategyMetrics = new ArrayList<>();

  /** @param registry a {@code com.codahale.metrics.MetricRegistry} */
  EngineMetrics(Object registry, IntSupplier activeTasks, IntSupplier activeBlockTasks, IntSupplier pendingBlockTasks,
      Supplier<EngineStatus> status, IntSupplier lookupsInFlight) {
    this.registry = (MetricRegistry) registry;
    this.status = status;
    this.sentBlocks = this.registry.histogram(SENT_ALL_BLOCKS_BYTES,
        () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
    this.sendTimes = this.registry.timer(SEND_TIMES, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    this.batchSizes = this.registry.histogram(BATCH_SIZE,
        () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
    names.add(SENT_ALL_BLOCKS_BYTES);
    names.add(SEND_TIMES);
    names.add(BATCH_SIZE);
    for (WantClass c : WantClass.values()) {
      String name = labelled(WANT_LATENCY, "class", c.label());
      latency.put(c, this.registry.timer(name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build())));
      names.add(name);
    }
    gauge(ACTIVE_TASKS, activeTasks::getAsInt);
    gauge(ACTIVE_BLOCK_TASKS, activeBlockTasks::getAsInt);
    gauge(PENDING_BLOCK_TASKS, pendingBlockTasks::getAsInt);
    gauge(labelled(LIMIT, "limit", "global_outstanding_bytes"), () -> status().globalLimitBytes());
    gauge(labelled(LIMIT, "limit", "lookup_concurrency"), () -> status().lookupLimit());
    gauge(labelled(LIMIT, "limit", "peer_outstanding_bytes_min"), () -> status().peerLimitMinBytes());
    gauge(labelled(LIMIT, "limit", "peer_outstanding_bytes_max"), () -> status().peerLimitMaxBytes());
    gauge("cairn_bitswap_lookups_in_flight", lookupsInFlight::getAsInt);
    gauge(PROMOTED, () -> status().promoted());
    gauge(SHED, () -> status().shed());
    gauge(DEFERRED, () -> status().deferred());
    gauge(MEMORY_PRESSURE, () -> status().memoryPressure());
    for (BatchFlush f : BatchFlush.values()) {
      gauge(labelled(BATCH_FLUSH, "reason", f.label()), () -> status().batching().flushes().getOrDefault(f.label(), 0L));
    }
    gauge(LOOKUP_CALLS, () -> status().batching().lookupCalls());
    gauge(MESSAGES_SENT, () -> status().batching().messagesSent());
  }

  /** {@code family{key="value"}}: io.cairn.monitor's labelled form, which its Prometheus page turns into labels. */
  static String labelled(String family, String key, String value) {
    return family + "{" + key + "=\"" + value.replaceAll("[\"\\\\,{}\\r\\n]", "_") + "\"}";
  }

  private EngineStatus status() {
    long now = System.nanoTime();
    EngineStatus s = cached;
    if (s == null || now - cachedAt > STATUS_TTL_NANOS) {
      s = status.get();
      cached = s;
      cachedAt = now;
    }
    return s;
  }

  private void gauge(String name, LongSupplier value) {
    // A gauge left by an engine that went without unbinding is replaced: this engine's counts are the live ones.
    registry.remove(name);
    registry.register(name, (Gauge<Long>) value::getAsLong);
    names.add(name);
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

  /** A want of {@code wantClass} was answered {@code nanos} after it arrived. */
  void answered(WantClass wantClass, long nanos) {
    latency.get(wantClass).update(nanos, TimeUnit.NANOSECONDS);
  }

  /** A turn took {@code wants}, released for {@code flush}. */
  void batch(int wants, BatchFlush flush) {
    batchSizes.update(wants);
  }

  /** The strategies in use now: one gauge of 1 per kind, labelled with the strategy's name. */
  synchronized void strategies(String priority, String limits, String batch) {
    String now = priority + "\n" + limits + "\n" + batch;
    if (now.equals(strategyNames)) {
      return;
    }
    strategyMetrics.forEach(registry::remove);
    strategyMetrics.clear();
    for (String[] kv : new String[][] {{"priority", priority}, {"limits", limits}, {"batch", batch}}) {
      String name = STRATEGY + "{kind=\"" + kv[0] + "\",name=\"" + kv[1].replaceAll("[\"\\\\,{}\\r\\n]", "_") + "\"}";
      registry.remove(name);
      registry.register(name, (Gauge<Integer>) () -> 1);
      strategyMetrics.add(name);
    }
    strategyNames = now;
  }

  @Override
  public synchronized void close() {
    names.forEach(registry::remove);
    strategyMetrics.forEach(registry::remove);
  }
}
