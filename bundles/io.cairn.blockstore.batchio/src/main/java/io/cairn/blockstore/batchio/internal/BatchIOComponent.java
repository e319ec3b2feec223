package io.cairn.blockstore.batchio.internal;

import io.cairn.blockstore.BatchIOManager;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockTier;
import io.cairn.blockstore.BlockstoreException;
import io.cairn.node.config.Configs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The batch I/O manager: puts are admitted against one bounded {@link QueueBudget}, gathered per target
 * tier in a {@link TierLane}, and written one batch per {@code putMany}. Threads: one scheduler thread
 * closes batches that time out; writers come from a pool that grows to one thread per tier with
 * batches to write and shrinks when idle; the same pool answers the puts' futures, so callers'
 * continuations never run on a writer.
 */
@Component(service = BatchIOManager.class, configurationPid = BatchIOComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BatchIOConfig.class)
public class BatchIOComponent implements BatchIOManager {
  public static final String PID = "io.cairn.blockstore.batchio";
  /** How long an idle pool thread is kept for the next batch. */
  private static final long IDLE_THREAD_SECONDS = 60;

  private final Logger log;
  private final QueueBudget budget;
  private final WriteCounters counters = new WriteCounters(System::nanoTime);
  private final Map<BlockTier, TierLane> lanes = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timers;
  private final ThreadPoolExecutor writers;
  private volatile BatchIOSettings settings;

  @Activate
  public BatchIOComponent(@Reference(service = LoggerFactory.class) Logger log, BatchIOConfig config) {
    this.log = log;
    BatchIOSettings initial = Configs.validate(PID, config, BatchIOSettings::of, log)
        .orElseGet(() -> BatchIOSettings.of(Configs.defaults(BatchIOConfig.class)));
    this.settings = initial;
    this.budget = new QueueBudget(initial.maxQueuedBlocks(), initial.maxQueuedBytes());
    this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("cairn-batchio-timer"));
    timers.setRemoveOnCancelPolicy(true);
    this.writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemonThreads("cairn-batchio-writer"));
  }

  @Modified
  void modified(BatchIOConfig config) {
    Configs.validate(PID, config, BatchIOSettings::of, log).ifPresent(next -> {
      settings = next;
      budget.limits(next.maxQueuedBlocks(), next.maxQueuedBytes());
      // The batches being gathered keep their timeout; one already as large as a lowered size goes now.
      lanes.values().forEach(lane -> lane.closeIfFull(next.batchSize()));
      log.info("batch I/O now {}", next);
    });
  }

  /**
   * Refuses new puts, writes what is queued and answers its puts, waiting up to drainTimeoutMillis in
   * all. Puts still not written then are logged; their futures complete if their tier finishes the
   * write later.
   */
  @Deactivate
  void deactivate() {
    long drainMillis = settings.drainTimeoutMillis();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    budget.close();
    flush();
    boolean written = false;
    boolean answered = false;
    try {
      written = budget.awaitEmpty(drainMillis);
      timers.shutdownNow();
      // A put admitted just before the stop may have opened a batch after the flush above; closed now,
      // while the writers still take work.
      flush();
      writers.shutdown();
      answered = writers.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timers.shutdownNow();
      writers.shutdown();
    }
    if (!written) {
      log.warn("{}: stopping with {} puts ({} bytes) not written after drainTimeoutMillis {}", PID, budget.blocks(),
          budget.bytes(), drainMillis);
    } else if (!answered) {
      log.warn("{}: stopping while callers' continuations of written puts still run after drainTimeoutMillis {}", PID,
          drainMillis);
    }
  }

  @Override
  public CompletableFuture<Void> put(BlockTier tier, Block block) {
    if (block == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("put: block is null"));
    }
    return putAll(tier, List.of(block));
  }

  @Override
  public CompletableFuture<Void> putAll(BlockTier tier, List<Block> blocks) {
    if (tier == null || blocks == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("putAll: " + (tier == null ? "tier" : "blocks")
          + " is null"));
    }
    for (Block b : blocks) {
      if (b == null) {
        // Checked before anything is queued, so a bad list leaves no trace.
        return CompletableFuture.failedFuture(new IllegalArgumentException("putAll: the list holds a null block"));
      }
    }
    if (blocks.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    PutFuture future = new PutFuture(blocks.size());
    TierLane lane = null;
    for (Block block : blocks) {
      try {
        budget.acquire(block.size(), settings.enqueueTimeoutMillis());
      } catch (BlockstoreException e) {
        // The blocks queued before this one are still written; the caller learns the put as a whole failed.
        future.completeExceptionally(e);
        return future;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        future.completeExceptionally(new BlockstoreException("interrupted while waiting for room in the batch I/O queue", e));
        return future;
      }
      while (lane == null || !lane.add(block, future, settings)) {
        lane = lanes.computeIfAbsent(tier, this::lane);
      }
    }
    return future;
  }

  @Override
  public void flush() {
    lanes.values().forEach(TierLane::flush);
  }

  @Override
  public BatchStats stats() {
    return new BatchStats(counters.batches(), counters.blocks(), counters.batchesPerSec(), budget.blocks(), budget.bytes());
  }

  private TierLane lane(BlockTier tier) {
    return new TierLane(tier, lanes, timers, writers, budget, counters, log);
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
