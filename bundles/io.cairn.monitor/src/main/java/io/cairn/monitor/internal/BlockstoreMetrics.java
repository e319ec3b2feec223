package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import io.cairn.blockstore.BlockstoreStats;
import io.cairn.blockstore.MultiTierBlockstore;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The tiered blockstore's gauges ({@link MultiTierBlockstore#stats()}, read at each scrape): blocks,
 * bytes and capacity of the tiers that hold blocks, the first tier's hit rate, mean latencies, batch
 * rate and compression. Each tier's own figures are {@link TierMetrics}'.
 */
@Component(service = {}, immediate = true)
public class BlockstoreMetrics {
  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  volatile MultiTierBlockstore store;
  private final Gauges gauges;

  @Activate
  public BlockstoreMetrics(@Reference MetricRegistry registry) {
    gauges = new Gauges(registry)
        .add("cairn_blockstore_blocks", stat(BlockstoreStats::blocks))
        .add("cairn_blockstore_used_bytes", stat(BlockstoreStats::usedBytes))
        .add("cairn_blockstore_capacity_bytes", stat(BlockstoreStats::capacityBytes))
        .add("cairn_blockstore_cache_hit_ratio", stat(BlockstoreStats::cacheHitRate))
        .add("cairn_blockstore_read_latency_mean_seconds", stat(s -> s.averageReadLatency().toNanos() / 1e9))
        .add("cairn_blockstore_write_latency_mean_seconds", stat(s -> s.averageWriteLatency().toNanos() / 1e9))
        .add("cairn_blockstore_batches_per_second", stat(BlockstoreStats::batchOperationsPerSec))
        .add("cairn_blockstore_compression_ratio", stat(BlockstoreStats::compressionRatio));
  }

  private Supplier<Double> stat(ToDoubleFunction<BlockstoreStats> field) {
    return () -> {
      MultiTierBlockstore s = store;
      return s == null ? null : field.applyAsDouble(s.stats());
    };
  }

  @Deactivate
  void deactivate() {
    gauges.close();
  }
}
