package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockTooLargeException;
import io.cairn.blockstore.Blockstore;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.blockstore.BlockstoreStats;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.blockstore.DiskSpaceLowException;
import io.cairn.blockstore.MemoryPressureException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.TierStats;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.UnsupportedCodeException;
import io.cairn.node.breaker.BreakerHolder;
import io.cairn.node.breaker.CircuitBreakers;
import io.cairn.node.config.Configs;
import io.cairn.node.stall.ProcessStalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The node's blockstore: whichever {@link BlockTier}s are active, composed in rank order.
 *
 * <p><b>Reads</b> ask the tiers in read order and stop at the first that has the block. A tier that fails
 * otherwise than "not found" (a corrupt record, an I/O error) is logged and the next is asked, so a good
 * copy lower down is still served; only when none has it does the read fail, with the first such failure.
 * A block found below the memory tier is copied into it (promotion {@code memory}), and with promotion
 * {@code up} also moved into the write tier; streamed reads ({@link #getStream}) are not promoted, since
 * they exist so that large blocks are never held whole. Reads take an immutable snapshot of the tiers and
 * never lock.
 *
 * <p><b>Circuit breakers</b> guard the reads of the {@link #failFast} view (what the bitswap engine serves
 * peers from) and the "already stored?" checks of a put: each such read of a tier goes through that
 * tier's breaker, from the {@link CircuitBreakers} strategy in use ({@link BreakerHolder}). An open tier is
 * skipped at once: the next tier is asked, and a block only it holds is a miss (not found; bitswap answers
 * DONT_HAVE) until the breaker closes. A read that runs past the breaker's timeout is failed, counted
 * against the tier, and the next tier asked: no such read waits on a hanging tier longer than that (the
 * tier's own future is left to finish or not; the next tier is then asked on the timer's thread, which is
 * fine as tiers return at once). Not found is an answer, never a failure. With no strategy bound, nothing
 * is guarded. The store's own reads are never cut short: a pin walk or a garbage collection's marking
 * that took a slow tier for a missing block would fail a pin, or worse, so they wait for the tier.
 *
 * <p><b>Writes and an open tier</b>: the breaker judges reads; it never makes a put acknowledged that is
 * not durable. A put is acknowledged only when the BatchIOManager made its blocks durable in the tier it
 * wrote to, whatever any breaker says. When the write tier's breaker is open and another writable
 * persistent tier is active, puts go to that tier instead (as when the write tier is short of disk
 * space): the blocks are durable there and read from there, and the failing tier is not loaded further.
 * With no other persistent tier, puts still go to the open tier, the only place they can be durable: if
 * its writes fail, the put fails and nothing is acknowledged. A tier that cannot answer "do you have it?"
 * counts as not having it, so a block is written again rather than skipped.
 *
 * <p><b>Writes</b> go to the write tier through the {@link BatchIOManager} and complete when durable. A
 * block some persistent tier already holds is not written again (as Kubo's blockstore cache does). When
 * the write tier refuses a batch with {@link DiskSpaceLowException}, the blocks go to the next persistent
 * tier. With no persistent tier at all the node still works: writes go straight to the memory tier (a
 * warning says they will not survive a restart). <em>Single-put latency</em>: a lone put must not wait out
 * the BatchIOManager's {@code BatchTimeout}, yet concurrent puts must share durable writes; the store
 * therefore flushes by {@link GroupCommit}: a put that finds no write of the store in flight is flushed at
 * once, puts that arrive while writes are in flight join one batch that is flushed when the disk is free,
 * and explicit batches ({@link #putBatch}, {@link #putMany}) are flushed at once.
 *
 * <p><b>Demotion</b>: one daemon thread checks every {@code demotionIntervalMs} each persistent tier that
 * has a persistent tier below it; above {@code demotionHighWater} of its capacity, its oldest blocks move
 * down in batches (copy, durable, then delete) until it is below {@code demotionLowWater}.
 *
 * <p><b>A tier leaving</b> (its service unregistered; it is still usable during unbind) stops taking writes
 * at once. If it is persistent and another persistent tier is active, every block only it holds is copied
 * there, durably, before the unbind returns; with no other persistent tier its blocks simply stay in its
 * files (the truth) and are served again when it returns. A memory tier leaves at once.
 *
 * <p><b>Put observers</b> ({@link #observePuts}, for garbage collection) are told the CIDs of the blocks
 * each put stores (identity blocks are not stored, so not told) before any is written; see
 * {@link PutObservers}. <b>Stored observers</b> ({@link #observeStored}, for the bitswap server) are told the
 * same CIDs once the put has succeeded, on the completing thread.
 *
 * <p>{@link #keys()} lists the persistent tiers' keys one tier after another (the memory tier's only when
 * there is no persistent tier): weakly consistent, so a block moving down while the stream runs may
 * appear twice and one moving up may be missed.
 *
 * <p><b>Identity CIDs</b> carry their block ({@link IdentityBlocks}): reads answer them from the CID with
 * no tier asked (with no tier at all, too); writes check their bytes and store nothing; a delete removes
 * only a copy some tier kept from before and they stay answered; {@link #keys()} never lists them, so
 * garbage collection never meets them. Kubo answers them the same way, through boxo's idstore.
 */
@Component(service = {MultiTierBlockstore.class, Blockstore.class}, configurationPid = TieredBlockstore.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TieredConfig.class)
public class TieredBlockstore implements MultiTierBlockstore {
  /** The blockstore's configuration (the seed design's BlockstoreConfig). */
  public static final String PID = "io.cairn.blockstore";
  /** The rank of a tier whose service has no {@value BlockTier#RANK} property. */
  static final int DEFAULT_RANK = 100;
  /** How long a leaving tier's writes still in the BatchIOManager are awaited before its blocks are copied. */
  static final Duration PENDING_WRITES_WAIT = Duration.ofSeconds(60);

  private final Logger log;
  private final TierMover mover;
  private final GroupCommit groupCommit = new GroupCommit();
  private final PutObservers putObservers = new PutObservers();
  private final Object storedObserversLock = new Object();
  /** The {@link #observeStored} observers: an immutable list, replaced under {@link #storedObserversLock}. */
  private volatile List<Consumer<Cid>> storedObservers = List.of();
  private final ScheduledExecutorService demotion;
  private final AtomicReference<BatchIOManager> batchio = new AtomicReference<>();
  private final LongAdder readNanos = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final LongAdder writeNanos = new LongAdder();
  private final LongAdder writes = new LongAdder();

  private final BreakerHolder<String> guards;
  private final Blockstore failFastReads = new FailFastReads();
  /** The tiers' breaker metrics, while the node's MetricRegistry is bound. */
  private volatile BreakerMetrics breakerMetrics;

  private final Object lock = new Object();
  /** Guarded by {@link #lock}: the tiers bound now, the source of every {@link Layout}. */
  private final List<TierHandle> bound = new ArrayList<>();
  /** Guarded by {@link #lock}. */
  private ScheduledFuture<?> demotionTask;
  /** The tiers whose last demotion round stopped early, so that is logged once, not every round. */
  private final Set<String> demotionStuck = ConcurrentHashMap.newKeySet();
  private volatile Layout layout = Layout.EMPTY;
  private volatile TieredSettings settings;
  private volatile boolean active = true;
  private volatile ProcessStalls stalls = ProcessStalls.NONE;

  @Activate
  public TieredBlockstore(@Reference(service = LoggerFactory.class) Logger log, TieredConfig config) {
    this.log = log;
    this.mover = new TierMover(log);
    this.guards = new BreakerHolder<>(log, CircuitBreakers.SCOPE_TIER, "block tier reads", (tier, fromTo) -> {
      BreakerMetrics m = breakerMetrics;
      if (m != null) {
        m.transition(tier, fromTo[1]);
      }
    });
    this.settings = Configs.validate(PID, config, TieredSettings::of, log)
        .orElseGet(() -> TieredSettings.of(Configs.defaults(TieredConfig.class)));
    this.demotion = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-blockstore-demotion");
      t.setDaemon(true);
      return t;
    });
    synchronized (lock) {
      schedule(settings.demotionIntervalMs());
    }
  }

  @Modified
  void modified(TieredConfig config) {
    Configs.validate(PID, config, TieredSettings::of, log).ifPresent(next -> {
      synchronized (lock) {
        long previousInterval = settings.demotionIntervalMs();
        settings = next;
        relayout();
        if (next.demotionIntervalMs() != previousInterval) {
          schedule(next.demotionIntervalMs());
        }
      }
    });
  }

  /** Stops demotion; the tiers DS unbinds after this leave without migration (see {@link #removeTier}). */
  @Deactivate
  void deactivate() {
    active = false;
    demotion.shutdownNow();
    try {
      // A move in progress finishes its durable copy before it deletes anything; let it end cleanly.
      demotion.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the BatchIOManager and the tiers, as they come and go

  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindBatchIO(BatchIOManager manager) {
    batchio.set(manager);
  }

  void unbindBatchIO(BatchIOManager manager) {
    // A greedy replacement is bound before the old one is unbound: keep the new one.
    batchio.compareAndSet(manager, null);
  }

  /**
   * The circuit breaker strategies ({@code cairn.strategy=<name>}) of {@code cairn.breaker.scope=tier};
   * the best ranked matching {@code tierGuard.target} is used, none guards nothing. See {@link BreakerHolder}.
   */
  @Reference(name = "tierGuard", service = CircuitBreakers.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindTierGuard(CircuitBreakers guard, Map<String, Object> properties) {
    guards.bind(guard, properties);
  }

  void updatedTierGuard(CircuitBreakers guard, Map<String, Object> properties) {
    guards.bind(guard, properties);
  }

  void unbindTierGuard(CircuitBreakers guard) {
    guards.unbind(guard);
  }

  /** The tier guard strategy in use ({@code cairn.strategy}), or {@code none}. */
  String tierGuardInUse() {
    return guards.inUse();
  }

  /** The state of a tier's circuit breaker now. */
  CircuitBreakers.State tierState(String tier) {
    return guards.breaker(tier).state();
  }

  /** The process's stalls, not counted against a tier's read timeout; {@link ProcessStalls#NONE} without a monitor. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindStalls(ProcessStalls monitor) {
    stalls = monitor;
  }

  void unbindStalls(ProcessStalls monitor) {
    if (stalls == monitor) {
      stalls = ProcessStalls.NONE;
    }
  }

  /**
   * The node's metric registry, when the monitoring bundle runs: the tiers' breaker states go there.
   * Typed {@code Object} so this class loads without the metrics package (an optional import).
   */
  @Reference(name = "metrics", service = com.codahale.metrics.MetricRegistry.class,
      cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindMetrics(Object registry) {
    BreakerMetrics next = new BreakerMetrics(registry, tier -> guards.breaker(tier).state());
    BreakerMetrics previous = breakerMetrics;
    breakerMetrics = next;
    if (previous != null) {
      previous.close();
    }
    layout.tiers().forEach(t -> next.tierAdded(t.name));
    // Told under the holder's lock, so a swap at this moment cannot leave an older name shown.
    guards.watchInUse(this::showTierGuard);
  }

  private void showTierGuard(String strategy) {
    BreakerMetrics m = breakerMetrics;
    if (m != null) {
      m.strategy(strategy);
    }
  }

  void unbindMetrics(Object registry) {
    BreakerMetrics current = breakerMetrics;
    if (current != null && current.registry() == registry) {
      breakerMetrics = null;
      current.close();
    }
  }

  @Reference(service = BlockTier.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindTier(BlockTier tier, ServiceReference<BlockTier> reference) {
    addTier(tier, properties(reference), reference.getBundle());
  }

  void updatedTier(BlockTier tier, ServiceReference<BlockTier> reference) {
    rankChanged(tier, properties(reference));
  }

  void unbindTier(BlockTier tier, ServiceReference<BlockTier> reference) {
    removeTier(tier);
  }

  private static Map<String, Object> properties(ServiceReference<?> reference) {
    Map<String, Object> properties = new HashMap<>();
    for (String key : reference.getPropertyKeys()) {
      properties.put(key, reference.getProperty(key));
    }
    return properties;
  }

  /** A tier arrived, with its service properties and the bundle that provides it (null outside a framework). */
  void addTier(BlockTier tier, Map<String, Object> properties, Bundle provider) {
    TierHandle handle = new TierHandle(tier, nameOf(tier, properties), rankOf(properties), serviceId(properties), provider);
    synchronized (lock) {
      bound.add(handle);
      relayout();
    }
    BreakerMetrics m = breakerMetrics;
    if (m != null) {
      m.tierAdded(handle.name);
    }
    log.info("block tier {} added", handle);
  }

  void rankChanged(BlockTier tier, Map<String, Object> properties) {
    synchronized (lock) {
      for (int i = 0; i < bound.size(); i++) {
        if (bound.get(i).store == tier) {
          bound.set(i, bound.get(i).withRank(rankOf(properties)));
        }
      }
      relayout();
    }
  }

  /**
   * A tier is leaving; it is still usable during this call. It stops taking writes at once, and a
   * persistent tier's blocks that no other persistent tier holds are copied to one before this returns,
   * unless the node or this store is stopping (the tiers then leave together and come back with it).
   */
  void removeTier(BlockTier tier) {
    TierHandle leaving;
    synchronized (lock) {
      leaving = bound.stream().filter(t -> t.store == tier).findFirst().orElse(null);
      if (leaving == null) {
        return;
      }
      leaving.leaving = true;
      relayout();
    }
    try {
      if (leaving.persistent) {
        if (!active || nodeStopping()) {
          log.info("tier {} leaves as the node stops: its blocks stay in its files", leaving.name);
        } else {
          migrateAway(leaving);
        }
      }
    } finally {
      synchronized (lock) {
        bound.remove(leaving);
        relayout();
      }
      if (layout.named(leaving.name).isEmpty()) {
        guards.forget(leaving.name);
        BreakerMetrics m = breakerMetrics;
        if (m != null) {
          m.tierRemoved(leaving.name);
        }
      }
      log.info("block tier {} removed", leaving.name);
    }
  }

  /** Whether the framework is shutting down (every tier is about to leave: no migration makes sense). */
  private static boolean nodeStopping() {
    Bundle own = FrameworkUtil.getBundle(TieredBlockstore.class);
    if (own == null) {
      return false; // outside a framework (tests)
    }
    BundleContext context = own.getBundleContext();
    return context == null || context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
  }

  /** The tiers as reads see them now. */
  Layout currentLayout() {
    return layout;
  }

  /** Guarded by {@link #lock}. */
  private void relayout() {
    layout = Layout.of(bound, settings.writeTier());
  }

  private static String nameOf(BlockTier tier, Map<String, Object> properties) {
    Object name = properties.get(BlockTier.TIER);
    return name instanceof String s && !s.isBlank() ? s : tier.name();
  }

  private int rankOf(Map<String, Object> properties) {
    Object rank = properties.get(BlockTier.RANK);
    if (rank instanceof Number n) {
      return n.intValue();
    }
    if (rank instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        log.warn("block tier {}: {} \"{}\" is not an integer; using {}", properties.get(BlockTier.TIER), BlockTier.RANK, s,
            DEFAULT_RANK);
      }
    }
    return DEFAULT_RANK;
  }

  private static long serviceId(Map<String, Object> properties) {
    return properties.get(Constants.SERVICE_ID) instanceof Long id ? id : 0L;
  }

  // ---- reads

  @Override
  public Blockstore failFast() {
    return failFastReads;
  }

  /** The reads of {@link #failFast}: through the tiers' breakers; everything else is the store's. */
  private final class FailFastReads implements Blockstore {
    @Override
    public CompletableFuture<Boolean> has(Cid cid) {
      return TieredBlockstore.this.has(cid, true);
    }

    @Override
    public CompletableFuture<Block> get(Cid cid) {
      return TieredBlockstore.this.get(cid, true);
    }

    @Override
    public CompletableFuture<Integer> getSize(Cid cid) {
      return TieredBlockstore.this.getSize(cid, true);
    }

    @Override
    public CompletableFuture<List<Block>> getMany(List<Cid> cids) {
      return TieredBlockstore.this.getMany(cids, true);
    }

    @Override
    public CompletableFuture<List<Integer>> getSizes(List<Cid> cids) {
      return TieredBlockstore.this.getSizes(cids, true);
    }

    @Override
    public Blockstore failFast() {
      return this;
    }

    @Override
    public CompletableFuture<Void> put(Block block) {
      return TieredBlockstore.this.put(block);
    }

    @Override
    public CompletableFuture<Void> putMany(List<Block> blocks) {
      return TieredBlockstore.this.putMany(blocks);
    }

    @Override
    public CompletableFuture<Boolean> delete(Cid cid) {
      return TieredBlockstore.this.delete(cid);
    }

    @Override
    public Stream<Cid> keys() {
      return TieredBlockstore.this.keys();
    }
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return has(cid, false);
  }

  private CompletableFuture<Boolean> has(Cid cid, boolean failFast) {
    if (IdentityBlocks.is(cid)) {
      return CompletableFuture.completedFuture(true);
    }
    return hasFrom(layout.tiers(), 0, cid, failFast);
  }

  private CompletableFuture<Boolean> hasFrom(List<TierHandle> tiers, int index, Cid cid, boolean failFast) {
    if (index == tiers.size()) {
      return CompletableFuture.completedFuture(false);
    }
    TierHandle tier = tiers.get(index);
    // A tier that fails (or is open, or times out, when failing fast) does not have it, as far as this
    // answer goes.
    return read(tier, failFast, () -> tier.store.has(cid))
        .handle((found, error) -> error == null && found ? CompletableFuture.completedFuture(true)
            : hasFrom(tiers, index + 1, cid, failFast))
        .thenCompose(f -> f);
  }

  @Override
  public CompletableFuture<Block> get(Cid cid) {
    return get(cid, false);
  }

  private CompletableFuture<Block> get(Cid cid, boolean failFast) {
    if (IdentityBlocks.is(cid)) {
      return CompletableFuture.completedFuture(IdentityBlocks.of(cid));
    }
    long start = System.nanoTime();
    Layout l = layout;
    TieredSettings s = settings;
    return firstFound(l, cid, failFast, t -> t.store.get(cid).thenApply(b -> checked(s, b)))
        .thenApply(found -> {
          promote(l, s, found.tier(), found.value());
          return found.value();
        })
        .whenComplete((b, e) -> {
          readNanos.add(System.nanoTime() - start);
          reads.increment();
        });
  }

  @Override
  public CompletableFuture<Block> getWithTier(Cid cid, String tier) {
    Optional<TierHandle> t = layout.named(tier);
    if (t.isEmpty()) {
      return CompletableFuture.failedFuture(new BlockNotFoundException(cid, "no tier named \"" + tier + "\" is active"));
    }
    TieredSettings s = settings;
    return Futures.call(() -> t.get().store.get(cid)).thenApply(b -> checked(s, b));
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return getSize(cid, false);
  }

  private CompletableFuture<Integer> getSize(Cid cid, boolean failFast) {
    if (IdentityBlocks.is(cid)) {
      return CompletableFuture.completedFuture(cid.multihash().digestLength());
    }
    return firstFound(layout, cid, failFast, t -> t.store.getSize(cid)).thenApply(Found::value);
  }

  @Override
  public CompletableFuture<InputStream> getStream(Cid cid) {
    if (IdentityBlocks.is(cid)) {
      return CompletableFuture.completedFuture(new ByteArrayInputStream(cid.multihash().digest()));
    }
    long start = System.nanoTime();
    TieredSettings s = settings;
    return firstFound(layout, cid, false, t -> t.store.getStream(cid))
        .thenApply(found -> s.hashOnRead() ? verifying(cid, found.value()) : found.value())
        .whenComplete((b, e) -> {
          readNanos.add(System.nanoTime() - start);
          reads.increment();
        });
  }

  /**
   * One call per tier for all the CIDs it is asked (instead of one read chain per CID): each tier in
   * read order is asked for those no earlier tier had, with its own {@code getMany}; what is found is
   * checked (hashOnRead; a corrupt copy is logged and asked of the next tier) and promoted as a
   * {@link #get} would.
   */
  @Override
  public CompletableFuture<List<Block>> getMany(List<Cid> cids) {
    return getMany(cids, false);
  }

  private CompletableFuture<List<Block>> getMany(List<Cid> cids, boolean failFast) {
    long start = System.nanoTime();
    Layout l = layout;
    TieredSettings s = settings;
    return many(l, cids, failFast, IdentityBlocks::of, (tier, ask) -> tier.store.getMany(ask), (tier, cid, b) -> {
      Block ok;
      try {
        ok = checked(s, b);
      } catch (RuntimeException e) {
        log.warn("tier {}: reading {} failed, asking the next tier: {}", tier.name, cid, e.toString());
        return null;
      }
      promote(l, s, tier, ok);
      return ok;
    }).whenComplete((b, e) -> {
      readNanos.add(System.nanoTime() - start);
      reads.add(cids.size());
    });
  }

  /** As {@link #getMany}, sizes only: one call per tier, nothing promoted. */
  @Override
  public CompletableFuture<List<Integer>> getSizes(List<Cid> cids) {
    return getSizes(cids, false);
  }

  private CompletableFuture<List<Integer>> getSizes(List<Cid> cids, boolean failFast) {
    return many(layout, cids, failFast, cid -> cid.multihash().digestLength(), (tier, ask) -> tier.store.getSizes(ask),
        (tier, cid, size) -> size);
  }

  /** What a tier's answer for one CID becomes: the value kept, or null to ask the next tier. */
  private interface Accept<T> {
    T accept(TierHandle tier, Cid cid, T value);
  }

  private <T> CompletableFuture<List<T>> many(Layout l, List<Cid> cids, boolean failFast, Function<Cid, T> identity,
      BiFunction<TierHandle, List<Cid>, CompletableFuture<List<T>>> read, Accept<T> accept) {
    List<T> found = new ArrayList<>(cids.size());
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < cids.size(); i++) {
      Cid cid = cids.get(i);
      found.add(IdentityBlocks.is(cid) ? identity.apply(cid) : null);
      if (!IdentityBlocks.is(cid)) {
        missing.add(i);
      }
    }
    return manyFrom(l.tiers(), 0, cids, missing, found, failFast, read, accept).thenApply(v -> found);
  }

  private <T> CompletableFuture<Void> manyFrom(List<TierHandle> tiers, int index, List<Cid> cids,
      List<Integer> missing, List<T> found, boolean failFast,
      BiFunction<TierHandle, List<Cid>, CompletableFuture<List<T>>> read, Accept<T> accept) {
    if (missing.isEmpty() || index == tiers.size()) {
      return CompletableFuture.completedFuture(null);
    }
    TierHandle tier = tiers.get(index);
    List<Cid> ask = new ArrayList<>(missing.size());
    missing.forEach(i -> ask.add(cids.get(i)));
    return read(tier, failFast, () -> read.apply(tier, ask)).handle((answers, error) -> {
      if (error != null) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof MemoryPressureException) {
          return CompletableFuture.<Void>failedFuture(cause);
        }
        if (cause instanceof TierSkipped) {
          return manyFrom(tiers, index + 1, cids, missing, found, failFast, read, accept);
        }
        log.warn("tier {}: reading {} blocks failed, asking the next tier: {}", tier.name, ask.size(), cause.toString());
        return manyFrom(tiers, index + 1, cids, missing, found, failFast, read, accept);
      }
      if (answers == null || answers.size() != ask.size()) {
        log.warn("tier {}: answered {} of {} lookups, asking the next tier", tier.name,
            answers == null ? 0 : answers.size(), ask.size());
        return manyFrom(tiers, index + 1, cids, missing, found, failFast, read, accept);
      }
      List<Integer> still = new ArrayList<>();
      for (int k = 0; k < ask.size(); k++) {
        T value = answers.get(k) == null ? null : accept.accept(tier, ask.get(k), answers.get(k));
        if (value == null) {
          still.add(missing.get(k));
        } else {
          found.set(missing.get(k), value);
        }
      }
      return manyFrom(tiers, index + 1, cids, still, found, failFast, read, accept);
    }).thenCompose(f -> f);
  }

  /** A value and the tier it came from. */
  private record Found<T>(TierHandle tier, T value) {
  }

  /**
   * Asks the tiers in read order; the first answer that is not "not found" wins. A tier failing otherwise
   * is logged and skipped; if no tier has the block, that first failure is the answer, else "not found".
   */
  private <T> CompletableFuture<Found<T>> firstFound(Layout l, Cid cid, boolean failFast,
      Function<TierHandle, CompletableFuture<T>> read) {
    return firstFound(l.tiers(), 0, cid, failFast, read, null, null);
  }

  /** @param skipped the names of the tiers skipped because their breaker is open, or null */
  private <T> CompletableFuture<Found<T>> firstFound(List<TierHandle> tiers, int index, Cid cid, boolean failFast,
      Function<TierHandle, CompletableFuture<T>> read, Throwable firstFailure, String skipped) {
    if (index == tiers.size()) {
      return CompletableFuture.failedFuture(firstFailure != null ? firstFailure
          : new BlockNotFoundException(cid, "block " + cid + " is in no tier"
              + (skipped == null ? "" : " read now (skipped, circuit breaker open: " + skipped + ")")));
    }
    TierHandle tier = tiers.get(index);
    return read(tier, failFast, () -> read.apply(tier)).handle((value, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(new Found<>(tier, value));
      }
      Throwable cause = Futures.unwrap(error);
      Throwable failure = firstFailure;
      String skip = skipped;
      if (cause instanceof TierSkipped) {
        skip = skipped == null ? tier.name : skipped + ", " + tier.name;
      } else if (!(cause instanceof BlockNotFoundException)) {
        log.warn("tier {}: reading {} failed, asking the next tier: {}", tier.name, cid, cause.toString());
        failure = failure == null ? cause : failure;
      }
      return firstFound(tiers, index + 1, cid, failFast, read, failure, skip);
    }).thenCompose(f -> f);
  }

  /** A read not made because the tier's circuit breaker is open; never leaves this class. */
  private static final class TierSkipped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final TierSkipped INSTANCE = new TierSkipped();

    private TierSkipped() {
      super("the tier's circuit breaker is open", null, false, false);
    }
  }

  /** One read of {@code tier}: through its breaker when failing fast ({@link #guarded}), else as the tier answers. */
  private <T> CompletableFuture<T> read(TierHandle tier, boolean failFast, Supplier<CompletableFuture<T>> read) {
    return failFast ? guarded(tier, read) : Futures.call(read);
  }

  /**
   * One read of {@code tier} through its breaker: fails at once with {@link TierSkipped} when the breaker
   * is open; else the tier's answer, or a {@link TimeoutException} once it took the breaker's timeout of
   * the process's running time ({@link #within}), told to the breaker (not found is an answer, not a
   * failure). The breaker is the one in use when the read began, whatever strategy is in use when it ends.
   */
  private <T> CompletableFuture<T> guarded(TierHandle tier, Supplier<CompletableFuture<T>> read) {
    CircuitBreakers.Breaker breaker = guards.breaker(tier.name);
    if (!breaker.tryAcquire()) {
      return CompletableFuture.failedFuture(TierSkipped.INSTANCE);
    }
    ProcessStalls stalls = this.stalls;
    long start = System.nanoTime();
    long stalledAtStart = stalls.stalledNanos();
    CompletableFuture<T> tierAnswer = Futures.call(read);
    long timeout = breaker.timeoutNanos();
    CompletableFuture<T> answer = timeout > 0 && !tierAnswer.isDone()
        ? within(tierAnswer, timeout, timeout, start, stalls, stalledAtStart)
        : tierAnswer;
    return answer.whenComplete((value, error) -> {
      long nanos = System.nanoTime() - start - (stalls.stalledNanos() - stalledAtStart);
      Throwable cause = error == null ? null : Futures.unwrap(error);
      if (cause == null || cause instanceof BlockNotFoundException) {
        breaker.succeeded(nanos);
      } else {
        breaker.failed(nanos, cause);
      }
    });
  }

  /**
   * The tier's answer, or a {@link TimeoutException} once it has taken {@code timeout} nanoseconds of the
   * process's running time since {@code start}: the time the whole process stood still meanwhile (a
   * garbage collection pause after a bulk add, 1 s on a large heap) is not the tier's, and counting it
   * answered DONT_HAVE for blocks the node has. The wait left is re-armed until the tier's own share is
   * spent. A copy: the tier's own future is not ours to complete.
   */
  private static <T> CompletableFuture<T> within(CompletableFuture<T> tierAnswer, long wait, long timeout, long start,
      ProcessStalls stalls, long stalledAtStart) {
    return tierAnswer.copy().orTimeout(wait, TimeUnit.NANOSECONDS).exceptionallyCompose(error -> {
      if (tierAnswer.isDone()) {
        return tierAnswer.copy();
      }
      long ran = System.nanoTime() - start - (stalls.stalledNanos() - stalledAtStart);
      if (!(Futures.unwrap(error) instanceof TimeoutException) || ran >= timeout) {
        return CompletableFuture.failedFuture(error);
      }
      return within(tierAnswer, timeout - ran, timeout, start, stalls, stalledAtStart);
    });
  }

  /** With {@code hashOnRead}, the block as read if it hashes to its CID, else a corrupt-block failure. */
  private static Block checked(TieredSettings s, Block block) {
    if (!s.hashOnRead()) {
      return block;
    }
    boolean intact;
    try {
      intact = block.verify();
    } catch (UnsupportedCodeException e) {
      throw new BlockstoreException("block " + block.cid() + " cannot be re-hashed (hashOnRead): " + e.getMessage(), e);
    }
    if (!intact) {
      throw new CorruptBlockException(block.cid(), "block " + block.cid() + " does not hash to its CID (hashOnRead)");
    }
    return block;
  }

  private static InputStream verifying(Cid cid, InputStream in) {
    try {
      return new VerifyingInputStream(cid, in);
    } catch (UnsupportedCodeException e) {
      closeQuietly(in);
      throw new BlockstoreException("block " + cid + " cannot be re-hashed (hashOnRead): " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing was read from it; the failure that matters is the one thrown.
    }
  }

  /** Promotion of a block read from {@code from}, per policy, in the background; failures only cost the copy. */
  private void promote(Layout l, TieredSettings s, TierHandle from, Block block) {
    if (s.promotion() == TieredSettings.Promotion.NONE || from == l.cache()) {
      return;
    }
    TierHandle cache = l.cache();
    if (cache != null && l.indexOf(cache) < l.indexOf(from)) {
      Futures.call(() -> cache.store.put(block))
          // A delete that ran while the block was read would not see this copy: if the source no longer
          // has the block, drop it again. (Deletes clear the cache last, after the persistent tiers.)
          .thenCompose(v -> Futures.call(() -> from.store.has(block.cid())))
          .thenCompose(still -> still ? CompletableFuture.completedFuture(true) : cache.store.delete(block.cid()))
          .exceptionally(e -> {
            log.debug("promoting {} into tier {} failed: {}", block.cid(), cache.name, Futures.unwrap(e).toString());
            return false;
          });
    }
    TierHandle write = l.writeTier();
    if (s.promotion() == TieredSettings.Promotion.UP && from.persistent && write != null && write.persistent
        && l.indexOf(write) < l.indexOf(from) && mover.claim(block.cid())) {
      writeDurably(l, write, List.of(block), false)
          .thenCompose(v -> Futures.call(() -> from.store.delete(block.cid())))
          .whenComplete((v, e) -> {
            mover.release(block.cid());
            if (e != null) {
              log.debug("promoting {} up into tier {} failed: {}", block.cid(), write.name, Futures.unwrap(e).toString());
            }
          });
    }
  }

  // ---- writes

  @Override
  public int maxBlockSize() {
    return settings.maxBlockSize();
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    return store(List.of(block), false);
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    return store(blocks, true);
  }

  @Override
  public CompletableFuture<Void> putBatch(List<Block> blocks) {
    return store(blocks, true);
  }

  /**
   * Reads the block from {@code data} on the calling thread, hashing as it arrives, at most
   * {@code maxBlockSize + 1} bytes; stores it only if it is within the limit and hashes to {@code cid}.
   */
  @Override
  public CompletableFuture<Void> putStream(Cid cid, InputStream data) {
    int max = settings.maxBlockSize();
    StreamingHash hash;
    try {
      hash = StreamingHash.of(cid.multihash());
    } catch (UnsupportedCodeException e) {
      return CompletableFuture.failedFuture(new BlockstoreException("cannot store " + cid + ": " + e.getMessage(), e));
    }
    byte[] buffer = new byte[Math.min(max + 1, 64 * 1024)];
    int length = 0;
    try {
      while (length <= max) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, (int) Math.min((long) max + 1, 2L * buffer.length));
        }
        int n = data.read(buffer, length, buffer.length - length);
        if (n < 0) {
          break;
        }
        hash.update(buffer, length, n);
        length += n;
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new BlockstoreException("reading block " + cid + " failed: " + e.getMessage(), e));
    }
    if (length > max) {
      return CompletableFuture.failedFuture(new BlockTooLargeException(
          "block " + cid + " is over the maximum block size of " + max + " bytes"));
    }
    if (!hash.matches()) {
      return CompletableFuture.failedFuture(new CorruptBlockException(cid,
          "the " + length + " bytes given for " + cid + " do not hash to it"));
    }
    return put(new Block(cid, length == buffer.length ? buffer : Arrays.copyOf(buffer, length)));
  }

  private CompletableFuture<Void> store(List<Block> given, boolean explicitBatch) {
    long start = System.nanoTime();
    TieredSettings s = settings;
    for (Block b : given) {
      if (b.size() > s.maxBlockSize()) {
        return CompletableFuture.failedFuture(new BlockTooLargeException("block " + b.cid() + " has " + b.size()
            + " bytes, over the maximum block size of " + s.maxBlockSize()));
      }
    }
    List<Block> blocks;
    try {
      blocks = IdentityBlocks.toStore(given);
    } catch (CorruptBlockException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (blocks.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Layout l = layout;
    TierHandle write = writeTier(l);
    if (write == null) {
      return CompletableFuture.failedFuture(new BlockstoreException("no block tier is active: cannot store blocks"));
    }
    l.fallback().ifPresent(reason -> {
      if (!l.warned().getAndSet(true)) {
        log.warn("{}", reason);
      }
    });
    PutObservers.Generation observed;
    try {
      observed = putObservers.join(blocks);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> stored = write.persistent
        ? notYetStored(l, blocks).thenCompose(missing -> missing.isEmpty()
            ? CompletableFuture.<Void>completedFuture(null) : writeDurably(l, write, missing, explicitBatch))
        // No persistent tier: the memory tier takes the blocks directly; there is nothing to batch.
        : Futures.call(() -> write.store.putMany(blocks));
    return stored.thenRun(() -> {
      TierHandle cache = l.cache();
      if (s.cacheOnPut() && cache != null && cache != write) {
        Futures.call(() -> cache.store.putMany(blocks))
            .exceptionally(e -> {
              log.debug("caching put blocks failed: {}", Futures.unwrap(e).toString());
              return null;
            });
      }
    }).whenComplete((v, e) -> {
      observed.leave();
      writeNanos.add(System.nanoTime() - start);
      writes.increment();
      if (e == null) {
        tellStored(blocks);
      }
    });
  }

  /** Tells the {@link #observeStored} observers; one that throws is logged, never fails the put. */
  private void tellStored(List<Block> blocks) {
    List<Consumer<Cid>> observers = storedObservers;
    if (observers.isEmpty()) {
      return;
    }
    for (Consumer<Cid> o : observers) {
      for (Block b : blocks) {
        try {
          o.accept(b.cid());
        } catch (RuntimeException ex) {
          log.warn("a stored-block observer failed on {}: {}", b.cid(), ex.toString());
        }
      }
    }
  }

  @Override
  public Observation observeStored(Consumer<Cid> observer) {
    java.util.Objects.requireNonNull(observer, "observer");
    synchronized (storedObserversLock) {
      List<Consumer<Cid>> next = new ArrayList<>(storedObservers);
      next.add(observer);
      storedObservers = List.copyOf(next);
    }
    return () -> {
      synchronized (storedObserversLock) {
        List<Consumer<Cid>> next = new ArrayList<>(storedObservers);
        next.remove(observer);
        storedObservers = List.copyOf(next);
      }
    };
  }

  /**
   * Where a put goes now: the write tier, or while its circuit breaker is open the next writable
   * persistent tier after it, if there is one (see the class comment: an open tier never makes a put
   * acknowledged that is not durable).
   */
  private TierHandle writeTier(Layout l) {
    TierHandle write = l.writeTier();
    if (write == null || !write.persistent || guards.breaker(write.name).state() != CircuitBreakers.State.OPEN) {
      return write;
    }
    return l.nextWritable(write).orElse(write);
  }

  @Override
  public Observation observePuts(Consumer<Cid> observer) {
    return putObservers.add(java.util.Objects.requireNonNull(observer, "observer"));
  }

  /**
   * The blocks no writable persistent tier holds yet (asked of them all at once). A leaving tier does not
   * count: a block only it holds is written again.
   */
  private CompletableFuture<List<Block>> notYetStored(Layout l, List<Block> blocks) {
    List<TierHandle> tiers = l.writable();
    List<CompletableFuture<Boolean>> held = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      CompletableFuture<Boolean> any = CompletableFuture.completedFuture(false);
      for (TierHandle t : tiers) {
        // A tier that cannot answer counts as not holding it: the block is then written, never skipped.
        // So does a tier whose breaker is open, or that does not answer within the breaker's timeout.
        CompletableFuture<Boolean> h = guarded(t, () -> t.store.has(b.cid())).exceptionally(e -> false);
        any = any.thenCombine(h, Boolean::logicalOr);
      }
      held.add(any);
    }
    return CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<Block> missing = new ArrayList<>(blocks.size());
      for (int i = 0; i < blocks.size(); i++) {
        if (!held.get(i).join()) {
          missing.add(blocks.get(i));
        }
      }
      return missing;
    });
  }

  /**
   * Writes through the BatchIOManager into {@code tier}, durably; when the tier is short of disk space,
   * into the next writable persistent tier instead. A write that lands in a tier which started leaving
   * meanwhile is written again where writes go now, so the leaving tier's migration cannot miss it.
   */
  private CompletableFuture<Void> writeDurably(Layout l, TierHandle tier, List<Block> blocks, boolean explicitBatch) {
    BatchIOManager manager = batchio.get();
    if (manager == null) {
      return CompletableFuture.failedFuture(new BlockstoreException("no batch I/O manager is active: cannot store blocks"));
    }
    CompletableFuture<Void> write = tier.track(Futures.call(() -> blocks.size() == 1
        ? manager.put(tier.store, blocks.get(0)) : manager.putAll(tier.store, blocks)));
    groupCommit.submitted(manager, write, explicitBatch);
    return write.handle((v, error) -> {
      if (error == null) {
        Layout now = layout;
        TierHandle current = now.writeTier();
        return tier.leaving && current != null && current != tier && current.persistent
            ? writeDurably(now, current, blocks, explicitBatch) : CompletableFuture.<Void>completedFuture(null);
      }
      Throwable cause = Futures.unwrap(error);
      Optional<TierHandle> next = cause instanceof DiskSpaceLowException ? l.nextWritable(tier) : Optional.empty();
      if (next.isPresent()) {
        log.warn("tier {} is short of disk space ({}); writing {} blocks to tier {}", tier.name, cause.getMessage(),
            blocks.size(), next.get().name);
        return writeDurably(l, next.get(), blocks, explicitBatch);
      }
      return CompletableFuture.<Void>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  @Override
  public CompletableFuture<Boolean> delete(Cid cid) {
    if (IdentityBlocks.is(cid)) {
      // Nothing to remove but a copy stored before identity blocks were answered from their CID: it is
      // still "there" afterwards, as it was before.
      return deleteEverywhere(cid).thenApply(removed -> true);
    }
    return deleteEverywhere(cid);
  }

  private CompletableFuture<Boolean> deleteEverywhere(Cid cid) {
    Layout l = layout;
    // Persistent tiers first, the cache last: a promotion racing this delete re-checks its source after
    // caching, so whichever comes second removes the cached copy.
    List<TierHandle> first = l.tiers().stream().filter(t -> t.persistent).toList();
    List<TierHandle> last = l.tiers().stream().filter(t -> !t.persistent).toList();
    return deleteFrom(first, cid).thenCompose(a -> deleteFrom(last, cid).thenApply(b -> a || b));
  }

  /** Deletes from every tier given, all at once; true if any had it; fails with the first failure after all ran. */
  private static CompletableFuture<Boolean> deleteFrom(List<TierHandle> tiers, Cid cid) {
    List<CompletableFuture<Boolean>> deletes = tiers.stream().map(t -> Futures.call(() -> t.store.delete(cid))).toList();
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
        .handle((v, e) -> {
          if (e != null) {
            throw new CompletionException(Futures.unwrap(e));
          }
          return deletes.stream().anyMatch(CompletableFuture::join);
        });
  }

  @Override
  public Stream<Cid> keys() {
    return layout.holders().stream().flatMap(t -> t.store.keys()).filter(cid -> !IdentityBlocks.is(cid));
  }

  // ---- stats

  @Override
  public List<TierStats> tiers() {
    return layout.tiers().stream().map(t -> t.store.stats()).toList();
  }

  @Override
  public BlockstoreStats stats() {
    Layout l = layout;
    List<TierStats> all = l.tiers().stream().map(t -> t.store.stats()).toList();
    double hitRate = all.isEmpty() ? 0 : all.get(0).hitRate();
    long persistentUsed = 0;
    long persistentBlockBytes = 0;
    for (TierHandle t : l.persistent()) {
      TierStats ts = all.get(l.indexOf(t));
      persistentUsed += ts.usedBytes();
      persistentBlockBytes += ts.blockBytes();
    }
    long blocks = 0;
    long used = 0;
    long capacity = 0;
    for (TierHandle t : l.holders()) {
      TierStats ts = all.get(l.indexOf(t));
      blocks += ts.blocks();
      used += ts.usedBytes();
      capacity += ts.capacityBytes();
    }
    BatchIOManager manager = batchio.get();
    return new BlockstoreStats(
        hitRate,
        mean(readNanos, reads),
        mean(writeNanos, writes),
        manager == null ? 0 : manager.stats().batchesPerSec(),
        persistentBlockBytes == 0 ? 1.0 : (double) persistentUsed / persistentBlockBytes,
        blocks, used, capacity);
  }

  private static Duration mean(LongAdder nanos, LongAdder count) {
    long n = count.sum();
    return n == 0 ? Duration.ZERO : Duration.ofNanos(nanos.sum() / n);
  }

  // ---- demotion and migration

  /** Guarded by {@link #lock}. */
  private void schedule(long intervalMs) {
    if (demotionTask != null) {
      demotionTask.cancel(false);
    }
    demotionTask = demotion.scheduleWithFixedDelay(this::demoteSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  private void demoteSafely() {
    try {
      demote();
    } catch (RuntimeException e) {
      // An exception would cancel the schedule for good; one bad round must not end demotion.
      log.error("demotion round failed", e);
    }
  }

  /**
   * One demotion round. The bottom pair first, so the tier below has made room before the one above
   * pushes into it.
   */
  void demote() {
    Layout l = layout;
    TieredSettings s = settings;
    List<TierHandle> tiers = l.writable();
    for (int i = tiers.size() - 2; i >= 0 && active; i--) {
      TierHandle upper = tiers.get(i);
      TierHandle lower = tiers.get(i + 1);
      TierStats stats = upper.store.stats();
      long capacity = stats.capacityBytes();
      if (capacity <= 0 || stats.usedBytes() <= s.highWater() * capacity) {
        continue;
      }
      long lowWater = (long) (s.lowWater() * capacity);
      TierMover.Moved moved = mover.demote(upper, lower, stats.usedBytes() - lowWater, lowWater,
          () -> active && !upper.leaving && !lower.leaving);
      if (moved.complete()) {
        demotionStuck.remove(upper.name);
        log.info("tier {} was {} of {} bytes full: {} blocks ({} bytes) demoted to tier {}", upper.name,
            stats.usedBytes(), capacity, moved.blocks(), moved.blockBytes(), lower.name);
      } else if (demotionStuck.add(upper.name)) {
        // Said once, not every round, until a round succeeds again.
        log.warn("tier {} is {} of {} bytes full and demoting into tier {} stopped after {} blocks: {}", upper.name,
            stats.usedBytes(), capacity, lower.name, moved.blocks(), moved.failure());
      }
    }
  }

  /**
   * Copies the blocks only {@code leaving} holds to the other persistent tiers, durably. Tiers whose bundle
   * is stopping as well (the sibling tiers of a file tier bundle being stopped or updated) are no targets:
   * they are leaving too.
   */
  private void migrateAway(TierHandle leaving) {
    Layout l = layout;
    List<TierHandle> others = l.writable().stream().filter(t -> !t.providerStopping()).toList();
    if (others.isEmpty()) {
      log.warn("tier {} is leaving and no other persistent tier is active: its {} blocks stay in its files and are "
          + "served again when the tier returns", leaving.name, leaving.store.stats().blocks());
      return;
    }
    awaitPendingWrites(leaving);
    // Where its blocks go: the tiers below it first (where demotion would have sent them), then above.
    List<TierHandle> targets = new ArrayList<>(others.stream().filter(t -> Layout.READ_ORDER.compare(t, leaving) > 0).toList());
    targets.addAll(others.stream().filter(t -> Layout.READ_ORDER.compare(t, leaving) < 0).toList());
    log.info("tier {} is leaving: copying the blocks only it holds to tier {}", leaving.name, targets.get(0).name);
    TierMover.Moved moved = mover.migrate(leaving, targets, cid -> !heldElsewhere(others, cid));
    if (moved.complete()) {
      log.info("tier {} left: {} blocks ({} bytes) copied; the rest were already held elsewhere", leaving.name,
          moved.blocks(), moved.blockBytes());
    } else {
      log.error("tier {} left after copying {} blocks: the others could not be copied ({}); they stay in its files "
          + "and are served again when the tier returns", leaving.name, moved.blocks(), moved.failure());
    }
  }

  private void awaitPendingWrites(TierHandle leaving) {
    BatchIOManager manager = batchio.get();
    if (manager != null) {
      manager.flush();
    }
    CompletableFuture<?>[] pending = leaving.pendingWrites.toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(pending).get(PENDING_WRITES_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("tier {} is leaving with {} writes still pending after {}; copying what it holds now", leaving.name,
          pending.length, PENDING_WRITES_WAIT);
    } catch (ExecutionException e) {
      // A failed write left nothing in the tier to copy; its caller has the failure.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean heldElsewhere(List<TierHandle> others, Cid cid) {
    for (TierHandle t : others) {
      try {
        if (Futures.call(() -> t.store.has(cid)).join()) {
          return true;
        }
      } catch (CompletionException e) {
        // Cannot tell: copy it, a duplicate is harmless.
      }
    }
    return false;
  }
}
