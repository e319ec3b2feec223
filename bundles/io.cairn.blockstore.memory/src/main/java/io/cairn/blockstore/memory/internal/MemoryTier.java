package io.cairn.blockstore.memory.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import io.cairn.node.config.Configs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The memory tier: blocks in a Caffeine cache weighed by their size in bytes. A cache, never the only
 * copy of a block ({@link #persistent()} is false). All calls complete synchronously: the futures are
 * already done when returned, which costs one small object and no thread hop.
 */
@Component(service = BlockTier.class,
    property = {BlockTier.TIER + "=" + BlockTier.MEMORY, BlockTier.RANK + ":Integer=0"},
    configurationPid = MemoryTier.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MemoryTierConfig.class)
public class MemoryTier implements BlockTier {
  public static final String PID = "io.cairn.blockstore.memory";
  /** What each cached block costs beyond its bytes: the entry, the CID and the Block record. */
  static final int ENTRY_OVERHEAD = 160;
  /**
   * Every put here is done when it returns: one shared completed future answers them all instead of
   * a new one per call (MemoryTierBench: that allocation was most of the tier's cost over Caffeine).
   * It cannot be completed again; obtrude* on it would be a caller's bug.
   */
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Cache<Cid, Block> cache;
  private final Logger log;
  private final long maxHeap;
  private volatile MemoryTierSettings settings;

  @Activate
  public MemoryTier(@Reference(service = LoggerFactory.class) Logger log, MemoryTierConfig config) {
    this(log, config, Runtime.getRuntime().maxMemory());
  }

  MemoryTier(Logger log, MemoryTierConfig config, long maxHeap) {
    this.log = log;
    this.maxHeap = maxHeap;
    MemoryTierConfig defaults = Configs.defaults(MemoryTierConfig.class);
    MemoryTierSettings initial = Configs.validate(PID, config, c -> MemoryTierSettings.of(c, maxHeap), log)
        .or(() -> Configs.validate(PID, defaults, c -> MemoryTierSettings.of(c, maxHeap), log))
        .orElseGet(() -> {
          MemoryTierSettings fitted = MemoryTierSettings.fitted(defaults, maxHeap);
          log.warn("{}: the default capacity does not fit this heap; using {} bytes", PID, fitted.capacityBytes());
          return fitted;
        });
    this.settings = initial;
    this.cache = Caffeine.newBuilder()
        .maximumWeight(initial.capacityBytes())
        .weigher((Cid cid, Block block) -> weight(block))
        .recordStats()
        .build();
  }

  static int weight(Block block) {
    return (int) Math.min(Integer.MAX_VALUE, (long) block.size() + ENTRY_OVERHEAD);
  }

  @Modified
  void modified(MemoryTierConfig config) {
    Configs.validate(PID, config, c -> MemoryTierSettings.of(c, maxHeap), log).ifPresent(next -> {
      settings = next;
      // Caffeine resizes in place: nothing cached is lost unless the tier shrinks below what it holds.
      cache.policy().eviction().ifPresent(e -> e.setMaximum(next.capacityBytes()));
      log.info("memory tier capacity now {} bytes", next.capacityBytes());
    });
  }

  @Override
  public String name() {
    return BlockTier.MEMORY;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return CompletableFuture.completedFuture(cache.asMap().containsKey(cid));
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    Block block = cache.getIfPresent(cid);
    return block != null ? CompletableFuture.completedFuture(block)
        : CompletableFuture.failedFuture(new BlockNotFoundException(cid, "no block " + cid + " in the memory tier"));
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return get(cid).thenApply(Block::size);
  }

  /** One pass over the cache and one future for all of them (the default makes one per CID). */
  @Override
  public CompletableFuture<List<Block>> getMany(List<Cid> cids) {
    List<Block> found = new ArrayList<>(cids.size());
    for (Cid cid : cids) {
      found.add(cache.getIfPresent(cid));
    }
    return CompletableFuture.completedFuture(found);
  }

  @Override
  public CompletableFuture<List<Integer>> getSizes(List<Cid> cids) {
    List<Integer> sizes = new ArrayList<>(cids.size());
    for (Cid cid : cids) {
      Block block = cache.getIfPresent(cid);
      sizes.add(block == null ? null : block.size());
    }
    return CompletableFuture.completedFuture(sizes);
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    cache.put(block.cid(), block);
    return DONE;
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    for (Block b : blocks) {
      cache.put(b.cid(), b);
    }
    return DONE;
  }

  @Override
  public CompletableFuture<Boolean> delete(Cid cid) {
    return CompletableFuture.completedFuture(cache.asMap().remove(cid) != null);
  }

  @Override
  public Stream<Cid> keys() {
    return List.copyOf(cache.asMap().keySet()).stream();
  }

  @Override
  public TierStats stats() {
    CacheStats s = cache.stats();
    long used = cache.policy().eviction().flatMap(e -> e.weightedSize().isPresent()
        ? java.util.Optional.of(e.weightedSize().getAsLong()) : java.util.Optional.empty()).orElse(0L);
    long blocks = cache.estimatedSize();
    // The weight includes each entry's overhead; the block bytes are what is left of it.
    long blockBytes = Math.max(0, used - blocks * ENTRY_OVERHEAD);
    return new TierStats(BlockTier.MEMORY, blocks, used, blockBytes, settings.capacityBytes(), s.hitCount(), s.missCount());
  }

  /** Runs pending evictions now (Caffeine does them lazily); for tests and stats that must be exact. */
  void cleanUp() {
    cache.cleanUp();
  }
}
