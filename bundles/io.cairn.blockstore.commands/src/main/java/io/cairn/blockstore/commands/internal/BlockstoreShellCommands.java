package io.cairn.blockstore.commands.internal;

import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockstoreStats;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.TierStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Gogo: {@code blockstore:tiers} (one row per tier, in read order) and {@code blockstore:stats}. */
@Component(service = BlockstoreShellCommands.class, property = {"osgi.command.scope=blockstore",
    "osgi.command.function=tiers", "osgi.command.function=stats"})
public class BlockstoreShellCommands {
  /** The rank a tier without the property has (as the tiered store reads it). */
  static final int DEFAULT_RANK = 100;

  private final MultiTierBlockstore store;
  /** The tier services and their properties: the rank and persistence the store's stats do not carry. */
  private final Map<BlockTier, Map<String, Object>> tiers = new ConcurrentHashMap<>();

  @Activate
  public BlockstoreShellCommands(@Reference MultiTierBlockstore store) {
    this.store = store;
  }

  @Reference(service = BlockTier.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindTier(BlockTier tier, Map<String, Object> properties) {
    tiers.put(tier, Map.copyOf(properties));
  }

  void unbindTier(BlockTier tier) {
    tiers.remove(tier);
  }

  void updatedTier(BlockTier tier, Map<String, Object> properties) {
    tiers.put(tier, Map.copyOf(properties));
  }

  public String tiers() {
    record Row(String name, int rank, boolean persistent, TierStats stats) {
    }
    List<Row> rows = new ArrayList<>();
    tiers.forEach((tier, props) -> {
      Object name = props.get(BlockTier.TIER);
      rows.add(new Row(name instanceof String s ? s : tier.name(), rank(props.get(BlockTier.RANK)), tier.persistent(),
          tier.stats()));
    });
    rows.sort(Comparator.comparingInt(Row::rank).thenComparing(Row::name));
    if (rows.isEmpty()) {
      return "no block tier is active\n";
    }
    StringBuilder out = new StringBuilder(String.format("%-10s %5s %-10s %12s %16s %16s %16s %8s%n", "TIER", "RANK",
        "PERSISTENT", "BLOCKS", "USED BYTES", "BLOCK BYTES", "CAPACITY", "HIT RATE"));
    for (Row r : rows) {
      TierStats s = r.stats();
      out.append(String.format("%-10s %5d %-10s %12d %16d %16d %16d %7.1f%%%n", r.name(), r.rank(),
          r.persistent() ? "yes" : "no", s.blocks(), s.usedBytes(), s.blockBytes(), s.capacityBytes(), 100 * s.hitRate()));
    }
    return out.toString();
  }

  public String stats() {
    BlockstoreStats s = store.stats();
    return String.format("Blocks             %d%nUsed bytes         %d%nCapacity bytes     %d%nMax block size     %d%n"
        + "Cache hit rate     %.1f%%%nRead latency       %.3f ms (mean)%nWrite latency      %.3f ms (mean)%n"
        + "Batches per second %.1f%nCompression ratio  %.3f%n", s.blocks(), s.usedBytes(), s.capacityBytes(),
        store.maxBlockSize(), 100 * s.cacheHitRate(), s.averageReadLatency().toNanos() / 1e6,
        s.averageWriteLatency().toNanos() / 1e6, s.batchOperationsPerSec(), s.compressionRatio());
  }

  private static int rank(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return value instanceof String s ? Integer.parseInt(s.trim()) : DEFAULT_RANK;
    } catch (NumberFormatException e) {
      return DEFAULT_RANK;
    }
  }
}
