package io.cairn.pin.internal;

import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.node.config.Configs;
import io.cairn.pin.GarbageCollector;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner.Pin;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
 * Mark and sweep, without stopping puts or pins: nothing pinned, and nothing put or pinned while a run is
 * under way, is removed.
 *
 * <p><b>A run</b>, on the collector's own thread, one at a time:
 * <ol>
 * <li>A fresh {@link LiveSet} (fingerprints in lock stripes, no object per block) starts observing puts
 * ({@link MultiTierBlockstore#observePuts}): from here every block put is kept before it lands, and puts
 * begun earlier have completed, so their blocks are in the store and either pinned or garbage as of now.</li>
 * <li>{@link PinnerComponent#collectionStarted}: pin walks keep each block they reach from now on (putting
 * it back if the sweep took it first), and pins already walking walk again before they record.</li>
 * <li>Marking: every stored recursive pin is walked locally (unbounded pins in groups of
 * {@code markRootsPerWalk} roots per walk, stopping below blocks an earlier walk of this run marked;
 * depth-limited pins one by one, never stopping early); direct pins are kept. A pinned block missing or
 * unreadable stops the run before anything is removed, as Kubo does.</li>
 * <li>Sweeping: every key of the blockstore that is not live is claimed in its stripe, then removed
 * ({@code sweepConcurrency} at a time, so the persistent tier groups them into few forces) and released.
 * A put or pin walk that keeps a block being removed waits for the removal, then finds it gone and puts it
 * again (a put's own write follows; a pin walk puts it back), so it is never lost.</li>
 * </ol>
 * Nothing is locked for the run: a put or a pin waits at most for one removal of the same stripe.
 *
 * <p>Progress goes to the {@link GarbageCollector.Listener} from the collector's thread: blocks marked
 * (every half second while marking), each block removed with its size, each failure to remove one.
 */
@Component(service = GarbageCollector.class, configurationPid = GarbageCollectorComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GarbageCollectorConfig.class)
public class GarbageCollectorComponent implements GarbageCollector {
  public static final String PID = "io.cairn.pin.gc";
  static final long PROGRESS_INTERVAL_MS = 500;

  /** Seams for the tests that race puts and pins against a run, on the collector's thread. */
  interface Hooks {
    Hooks NONE = new Hooks() {
    };

    /** Marking is over; the sweep is about to begin. */
    default void marked() {
    }

    /** The sweep is about to look at {@code cid}. */
    default void candidate(Cid cid) {
    }
  }

  private final Logger log;
  private final MultiTierBlockstore blocks;
  private final DagService dag;
  private final PinnerComponent pinner;
  private final ExecutorService runner;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile GarbageCollectorSettings settings;
  volatile Hooks hooks = Hooks.NONE;

  @Activate
  public GarbageCollectorComponent(@Reference(service = LoggerFactory.class) Logger log,
      @Reference MultiTierBlockstore blocks, @Reference DagService dag, @Reference PinnerComponent pinner,
      GarbageCollectorConfig config) {
    this.log = log;
    this.blocks = blocks;
    this.dag = dag;
    this.pinner = pinner;
    this.settings = Configs.validate(PID, config, GarbageCollectorSettings::of, log)
        .orElseGet(() -> GarbageCollectorSettings.of(Configs.defaults(GarbageCollectorConfig.class)));
    this.runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "cairn-gc");
      t.setDaemon(true);
      return t;
    });
  }

  @Modified
  void modified(GarbageCollectorConfig config) {
    Configs.validate(PID, config, GarbageCollectorSettings::of, log).ifPresent(next -> settings = next);
  }

  @Deactivate
  void deactivate() {
    runner.shutdownNow();
  }

  @Override
  public CompletableFuture<Result> collect(Listener listener) {
    Listener l = listener == null ? new Listener() {
    } : listener;
    if (!running.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new PinException("garbage collection is already running"));
    }
    CompletableFuture<Result> result = new CompletableFuture<>();
    try {
      runner.execute(() -> {
        Result r = null;
        Throwable failure = null;
        try {
          r = run(l, result);
          log.info("garbage collection: {} blocks live, {} removed ({} bytes), {} failures", r.marked(), r.removed(),
              r.bytesFreed(), r.errors());
        } catch (Throwable t) {
          log.warn("garbage collection stopped: {}", t.getMessage());
          failure = t;
        }
        // Free before completing: whoever the result wakes may start the next run at once.
        running.set(false);
        if (failure == null) {
          result.complete(r);
        } else {
          result.completeExceptionally(failure);
        }
      });
    } catch (RuntimeException e) {
      running.set(false);
      return CompletableFuture.failedFuture(new PinException("the garbage collector is stopping", e));
    }
    return result;
  }

  private Result run(Listener listener, CompletableFuture<Result> result) throws PinException {
    GarbageCollectorSettings s = settings;
    LiveSet live = new LiveSet(s.lockStripes());
    MultiTierBlockstore.Observation observing = blocks.observePuts(live::keep);
    try {
      pinner.collectionStarted(live);
      try {
        long marked = mark(live, s, listener, result);
        hooks.marked();
        return sweep(live, s, listener, result, marked);
      } finally {
        pinner.collectionEnded();
      }
    } finally {
      observing.close();
    }
  }

  // ---- marking

  private long mark(LiveSet live, GarbageCollectorSettings s, Listener listener, CompletableFuture<?> result)
      throws PinException {
    AtomicLong marked = new AtomicLong();
    List<Cid> roots = new ArrayList<>(s.markRootsPerWalk());
    try (Stream<Pin> recursive = pinner.stored(PinType.RECURSIVE)) {
      for (Iterator<Pin> it = recursive.iterator(); it.hasNext(); ) {
        Pin p = it.next();
        if (p.maxDepth() == -1) {
          roots.add(p.cid());
          if (roots.size() == s.markRootsPerWalk()) {
            markFrom(roots, -1, live, marked, listener, result);
            roots.clear();
          }
        } else {
          markFrom(List.of(p.cid()), p.maxDepth(), live, marked, listener, result);
        }
      }
    }
    if (!roots.isEmpty()) {
      markFrom(roots, -1, live, marked, listener, result);
    }
    try (Stream<Pin> direct = pinner.stored(PinType.DIRECT)) {
      direct.forEach(p -> {
        live.keep(p.cid());
        marked.incrementAndGet();
      });
    }
    listener.marked(marked.get());
    return marked.get();
  }

  /**
   * One local walk from {@code roots}. An unbounded walk marks, and stops below what is marked already (an
   * earlier walk of this run went below it in full); a depth-limited one keeps, and goes on.
   */
  private void markFrom(List<Cid> roots, int maxDepth, LiveSet live, AtomicLong marked, Listener listener,
      CompletableFuture<?> result) throws PinException {
    boolean unbounded = maxDepth == -1;
    DagWalk walk = dag.walk(roots, WalkOptions.local().withMaxDepth(maxDepth), (block, depth) -> {
      if (unbounded) {
        if (!live.mark(block.cid())) {
          return false;
        }
      } else {
        live.keep(block.cid());
      }
      marked.incrementAndGet();
      return true;
    });
    while (true) {
      try {
        walk.done().get(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        if (result.isCancelled()) {
          walk.cancel();
          throw new CancellationException("garbage collection cancelled while marking; nothing was removed");
        }
        listener.marked(marked.get());
      } catch (ExecutionException | CancellationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String where = cause instanceof DagException d && d.cid() != null ? " at block " + d.cid() : "";
        throw new PinException("garbage collection stopped while marking" + where + ", nothing was removed: "
            + cause.getMessage(), cause);
      } catch (InterruptedException e) {
        walk.cancel();
        Thread.currentThread().interrupt();
        throw new CancellationException("garbage collection interrupted while marking; nothing was removed");
      }
    }
  }

  // ---- sweeping

  /** One removal's outcome: bytes freed (-1: it was gone already), or why it failed. */
  private record Outcome(Cid cid, long bytes, Throwable failure) {
  }

  private static final class Tally {
    long removed;
    long bytes;
    long errors;
  }

  private Result sweep(LiveSet live, GarbageCollectorSettings s, Listener listener, CompletableFuture<?> result,
      long marked) {
    Semaphore window = new Semaphore(s.sweepConcurrency());
    Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    Tally tally = new Tally();
    try (Stream<Cid> keys = blocks.keys()) {
      Iterator<Cid> it = keys.iterator();
      while (!result.isCancelled()) {
        Cid cid;
        try {
          if (!it.hasNext()) {
            break;
          }
          cid = it.next();
        } catch (RuntimeException e) {
          tally.errors++;
          listener.failed(null, "listing the blocks failed: " + e.getMessage());
          break;
        }
        hooks.candidate(cid);
        report(outcomes, tally, listener);
        window.acquireUninterruptibly();
        LiveSet.Claim claim = live.claim(cid);
        if (claim == null) {
          window.release();
          continue;
        }
        remove(cid).whenComplete((bytes, e) -> {
          live.release(claim);
          // Queued before the place is freed: the final wait for every place then sees every outcome.
          outcomes.add(new Outcome(cid, e == null ? bytes : -1, e));
          window.release();
        });
      }
    } finally {
      window.acquireUninterruptibly(s.sweepConcurrency());
    }
    report(outcomes, tally, listener);
    return new Result(marked, tally.removed, tally.bytes, tally.errors);
  }

  /** Removes {@code cid}; completes with the bytes freed, or -1 if it was gone already. */
  private CompletableFuture<Long> remove(Cid cid) {
    try {
      return blocks.getSize(cid).thenCompose(size -> blocks.delete(cid).thenApply(gone -> gone ? (long) size : -1L))
          .exceptionally(e -> {
            if (unwrap(e) instanceof BlockNotFoundException) {
              return -1L;
            }
            throw e instanceof CompletionException c ? c : new CompletionException(e);
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void report(Queue<Outcome> outcomes, Tally tally, Listener listener) {
    for (Outcome o = outcomes.poll(); o != null; o = outcomes.poll()) {
      if (o.failure() != null) {
        tally.errors++;
        Throwable cause = unwrap(o.failure());
        listener.failed(o.cid(), "could not remove " + o.cid() + ": " + cause.getMessage());
      } else if (o.bytes() >= 0) {
        tally.removed++;
        tally.bytes += o.bytes();
        listener.removed(o.cid(), o.bytes());
      }
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether a run is under way. */
  boolean running() {
    return running.get();
  }
}
