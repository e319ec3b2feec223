package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.TierStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Each block tier's gauges, labelled {@code tier=<cairn.tier>}, read from {@link BlockTier#stats()} at
 * each scrape: they appear with the tier's service and go with it.
 */
@Component(service = {}, immediate = true)
public class TierMetrics {
  private final MetricRegistry registry;
  private final Map<BlockTier, Gauges> tiers = new ConcurrentHashMap<>();

  @Activate
  public TierMetrics(@Reference MetricRegistry registry) {
    this.registry = registry;
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void bindTier(BlockTier tier) {
    String name = tier.name();
    Gauges gauges = new Gauges(registry);
    try {
      gauges.add("cairn_blockstore_tier_blocks", stat(tier, TierStats::blocks), "tier", name)
          .add("cairn_blockstore_tier_used_bytes", stat(tier, TierStats::usedBytes), "tier", name)
          .add("cairn_blockstore_tier_block_bytes", stat(tier, TierStats::blockBytes), "tier", name)
          .add("cairn_blockstore_tier_capacity_bytes", stat(tier, TierStats::capacityBytes), "tier", name)
          .add("cairn_blockstore_tier_hits", stat(tier, TierStats::hits), "tier", name)
          .add("cairn_blockstore_tier_misses", stat(tier, TierStats::misses), "tier", name)
          .add("cairn_blockstore_tier_hit_ratio", stat(tier, TierStats::hitRate), "tier", name);
    } catch (IllegalArgumentException e) {
      // Two tiers of one name: the first keeps the gauges (the tiered store uses one of them too).
      gauges.close();
      return;
    }
    tiers.put(tier, gauges);
  }

  void unbindTier(BlockTier tier) {
    Gauges gauges = tiers.remove(tier);
    if (gauges != null) {
      gauges.close();
    }
  }

  private static Supplier<Double> stat(BlockTier tier, ToDoubleFunction<TierStats> field) {
    return () -> field.applyAsDouble(tier.stats());
  }

  @Deactivate
  void deactivate() {
    tiers.values().forEach(Gauges::close);
    tiers.clear();
  }
}
