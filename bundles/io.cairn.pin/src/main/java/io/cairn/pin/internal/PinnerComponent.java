package io.cairn.pin.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.node.NodeInfo;
import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import io.cairn.pin.PinException;
import io.cairn.pin.PinType;
import io.cairn.pin.Pinner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
 * The node's {@link Pinner}: the pin set in a {@link PinStore} under the node home, pins made by walking
 * with the {@link DagService} (fetching, any order), at most {@code maxConcurrentPins} walking at once.
 *
 * <p><b>Nothing partial</b>: a pin is recorded, durably, only after its walk has reached every block; a
 * walk that fails or is cancelled records nothing.
 *
 * <p><b>Garbage collection</b> ({@link GarbageCollectorComponent}) runs while pins go on. At its start it
 * calls {@link #collectionStarted}: under the same lock that registers pin jobs and records pins, it
 * publishes its live set and flags every pin job under way. From then on each block a pin walk reaches is
 * kept in the live set before the walk goes below it, and if the sweep removed it first (it is gone once
 * kept) it is put back from the bytes the walk holds. A flagged job, whose walk began before the run and
 * so reached blocks the run does not know, walks again (fetching what the sweep took) before it records.
 * A pin recorded before the run began is in the store when the collector lists the pins. So every block
 * of every pin recorded before, during or after the run is either marked, kept, or fetched again.
 */
@Component(service = {Pinner.class, PinnerComponent.class}, configurationPid = PinnerComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PinnerConfig.class)
public class PinnerComponent implements Pinner {
  public static final String PID = "io.cairn.pin";
  /** Kubo's limit on a pin name, in UTF-8 bytes. */
  static final int MAX_NAME_BYTES = 255;

  private final Logger log;
  private final MultiTierBlockstore blocks;
  private final DagService dag;
  private final Path home;
  private final PinStore store;
  private final Admission admission;
  /** Records complete pins (and waits for their fetched blocks to be stored), one at a time. */
  private final ExecutorService recorder;
  private volatile PinnerSettings settings;

  /** Guards {@link #underWay}, and orders pin records against the start of a collection. */
  private final Object collection = new Object();
  private final Set<PinJob> underWay = new HashSet<>();
  /** The live set of the collection under way, or null. */
  private volatile LiveSet collecting;

  @Activate
  public PinnerComponent(@Reference(service = LoggerFactory.class) Logger log, @Reference NodeInfo node,
      @Reference MultiTierBlockstore blocks, @Reference DagService dag, PinnerConfig config) throws IOException {
    this.log = log;
    this.blocks = blocks;
    this.dag = dag;
    this.home = node.home();
    this.settings = Configs.validate(PID, config, c -> PinnerSettings.of(c, home), log)
        .orElseThrow(() -> new IllegalArgumentException(PID + ": invalid configuration (logged above)"));
    this.store = PinStore.open(settings.folder());
    this.admission = new Admission(settings.maxConcurrentPins());
    this.recorder = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "cairn-pin-record");
      t.setDaemon(true);
      return t;
    });
    log.info("pin store open in {}: {} recursive and {} direct pins", settings.folder(), store.count(PinType.RECURSIVE),
        store.count(PinType.DIRECT));
  }

  @Modified
  void modified(PinnerConfig config) {
    PinnerSettings current = settings;
    Configs.validate(PID, config, c -> {
      PinnerSettings next = PinnerSettings.of(c, home);
      if (!next.folder().equals(current.folder())) {
        throw new InvalidConfigException("path", "is " + current.folder() + " while the pinner runs; stop it, move the "
            + "folder, then change it");
      }
      return next;
    }, log).ifPresent(next -> {
      settings = next;
      admission.limit(next.maxConcurrentPins());
    });
  }

  @Deactivate
  void deactivate() {
    List<PinJob> jobs;
    synchronized (collection) {
      jobs = List.copyOf(underWay);
    }
    jobs.forEach(j -> j.result.cancel(false));
    recorder.shutdown();
    try {
      // A record under way finishes its commit before the store closes.
      recorder.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  PinnerSettings settings() {
    return settings;
  }

  // ---- pinning

  @Override
  public CompletableFuture<Void> pin(Cid root, PinType type, int maxDepth, String name, LongConsumer progress) {
    String n = name == null ? "" : name;
    try {
      checkArguments(root, type, maxDepth, n);
    } catch (PinException e) {
      return CompletableFuture.failedFuture(e);
    }
    int depth = type == PinType.DIRECT ? 0 : maxDepth;
    if (type == PinType.DIRECT && store.has(PinType.RECURSIVE, root)) {
      return CompletableFuture.failedFuture(new PinException(root + " already pinned recursively"));
    }
    Optional<Pin> existing = store.get(type, root);
    if (existing.isPresent() && existing.get().maxDepth() == depth) {
      // Pinned already, all of it local: at most the name changes (Kubo: a second pin with a name renames).
      if (!n.isEmpty() && !n.equals(existing.get().name())) {
        store.put(new Pin(root, type, depth, n, null));
      }
      return CompletableFuture.completedFuture(null);
    }
    Pin pin = new Pin(root, type, depth, n, null);
    return submit(new PinJob(root, depth, progress, () -> {
      if (type == PinType.DIRECT) {
        if (store.has(PinType.RECURSIVE, root)) {
          throw new PinException(root + " already pinned recursively");
        }
        store.put(pin);
      } else {
        store.put(pin, new PinStore.Key(PinType.DIRECT, root));
      }
    }));
  }

  private static void checkArguments(Cid root, PinType type, int maxDepth, String name) throws PinException {
    if (root == null || type == null) {
      throw new PinException("a pin needs a CID and a type");
    }
    if (type == PinType.INDIRECT) {
      throw new PinException("indirect pins are made by recursive pins, not pinned themselves");
    }
    if (maxDepth < -1) {
      throw new PinException("max depth must be -1 (unlimited) or at least 0, got " + maxDepth);
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new PinException("pin name is over " + MAX_NAME_BYTES + " bytes");
    }
  }

  @Override
  public CompletableFuture<Void> update(Cid from, Cid to, boolean unpin, LongConsumer progress) {
    if (from == null || to == null) {
      return CompletableFuture.failedFuture(new PinException("pin update needs a from and a to CID"));
    }
    if (!store.has(PinType.RECURSIVE, from)) {
      return CompletableFuture.failedFuture(new PinException("'from' cid was not recursively pinned already"));
    }
    if (from.equals(to)) {
      return CompletableFuture.completedFuture(null);
    }
    if (store.has(PinType.RECURSIVE, to)) {
      return CompletableFuture.failedFuture(new PinException("'to' cid was already recursively pinned"));
    }
    Pin pin = new Pin(to, PinType.RECURSIVE, -1, "", null);
    PinStore.Key direct = new PinStore.Key(PinType.DIRECT, to);
    return submit(new PinJob(to, -1, progress, () -> {
      if (unpin) {
        store.put(pin, direct, new PinStore.Key(PinType.RECURSIVE, from));
      } else {
        store.put(pin, direct);
      }
    }));
  }

  private CompletableFuture<Void> submit(PinJob job) {
    admission.submit(job::start);
    return job.result;
  }

  /** What a pin job records once its walk is complete: run under {@link #collection}, durable on return. */
  @FunctionalInterface
  private interface Record {
    void run() throws PinException;
  }

  /** One pin (or update) walking: its walks, its flags, its outcome. */
  private final class PinJob {
    final Cid root;
    final int maxDepth;
    final LongConsumer progress;
    final Record record;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final AtomicBoolean finished = new AtomicBoolean();
    /** Blocks reached, over every walk of this job (progress grows across a re-walk). */
    final AtomicLong reached = new AtomicLong();
    /** Set when a collection began while this job's walk was under way: it must walk again. Guarded by collection. */
    boolean walkAgain;
    volatile DagWalk walk;

    PinJob(Cid root, int maxDepth, LongConsumer progress, Record record) {
      this.root = root;
      this.maxDepth = maxDepth;
      this.progress = progress == null ? n -> { } : progress;
      this.record = record;
      result.whenComplete((v, e) -> {
        DagWalk w = walk;
        if (result.isCancelled() && w != null) {
          w.cancel();
        }
      });
    }

    void start() {
      synchronized (collection) {
        underWay.add(this);
      }
      walkOnce();
    }

    private void walkOnce() {
      if (result.isDone()) {
        finish(null);
        return;
      }
      WalkOptions options = WalkOptions.fetching(settings.blockTimeout()).withMaxDepth(maxDepth);
      DagWalk w;
      try {
        w = dag.walk(List.of(root), options, this::visit);
      } catch (RuntimeException e) {
        finish(e);
        return;
      }
      walk = w;
      if (result.isCancelled()) {
        w.cancel();
      }
      w.done().whenComplete((r, e) -> walked(e));
    }

    private boolean visit(Block block, int depth) throws DagException {
      LiveSet live = collecting;
      if (live != null) {
        protect(live, block);
      }
      progress.accept(reached.incrementAndGet());
      return true;
    }

    private void walked(Throwable failure) {
      if (failure != null) {
        finish(failure);
        return;
      }
      try {
        recorder.execute(this::recordOrWalkAgain);
      } catch (RejectedExecutionException e) {
        finish(new PinException("the pinner is stopping"));
      }
    }

    /** On the recording thread: never a walker's or the blockstore's own thread, since it waits for puts. */
    private void recordOrWalkAgain() {
      awaitPutsInFlight();
      boolean again;
      Throwable recordFailure = null;
      synchronized (collection) {
        again = walkAgain && !result.isDone();
        walkAgain = false;
        if (!again && !result.isDone()) {
          try {
            record.run();
          } catch (PinException | RuntimeException e) {
            recordFailure = e;
          }
        }
      }
      if (again) {
        walkOnce();
      } else {
        finish(recordFailure);
      }
    }

    /** Ends the job once: leaves the jobs under way, frees its place, completes the result. */
    private void finish(Throwable failure) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      synchronized (collection) {
        underWay.remove(this);
      }
      if (failure == null) {
        result.complete(null);
      } else {
        result.completeExceptionally(pinFailure(root, failure));
      }
      admission.release();
    }
  }

  /**
   * Waits until every put begun so far has completed. Bitswap hands a fetched block to the walk while its
   * put into the blockstore is still under way; a pin must not be recorded before the blocks it fetched
   * are stored. The blockstore's put observation waits out the puts in flight when it begins.
   */
  private void awaitPutsInFlight() {
    // Nothing to observe: registering (and closing) is the wait.
    blocks.observePuts(cid -> { }).close();
  }

  /** A walk's failure as the pin caller sees it: cancellation stays one, the rest become a PinException. */
  private static Throwable pinFailure(Cid root, Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CancellationException || cause instanceof PinException) {
      return cause;
    }
    if (cause instanceof DagException d) {
      return new PinException("pinning " + root + " failed" + (d.cid() == null ? "" : " at block " + d.cid()) + ": "
          + d.getMessage(), d);
    }
    return new PinException("pinning " + root + " failed: " + cause.getMessage(), cause);
  }

  /**
   * Keeps a block a pin walk reached in the collection's live set; if the sweep removed it before that,
   * puts it back from the bytes in hand (the store always has an identity block: nothing is put for one).
   */
  private void protect(LiveSet live, Block block) throws DagException {
    Cid cid = block.cid();
    live.keep(cid);
    try {
      if (!blocks.has(cid).join()) {
        blocks.put(block).join();
      }
    } catch (CompletionException e) {
      throw new DagException(cid, "could not keep the block while garbage is collected: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  // ---- the collector's side

  /**
   * A collection begins: from now on pin walks keep what they reach in {@code live}, and the pins under
   * way walk again before they record (see the class comment).
   */
  void collectionStarted(LiveSet live) {
    synchronized (collection) {
      collecting = live;
      underWay.forEach(j -> j.walkAgain = true);
    }
  }

  void collectionEnded() {
    synchronized (collection) {
      collecting = null;
    }
  }

  /** The stored pins of {@code type} (recursive or direct), lazily. */
  Stream<Pin> stored(PinType type) {
    return store.stream(type);
  }

  PinStore store() {
    return store;
  }

  // ---- removal, listing, verification

  @Override
  public void unpin(Cid cid, boolean recursive) throws PinException {
    if (store.has(PinType.RECURSIVE, cid)) {
      if (!recursive) {
        throw new PinException(cid + " is pinned recursively");
      }
      if (store.remove(PinType.RECURSIVE, cid)) {
        return;
      }
    }
    if (!store.remove(PinType.DIRECT, cid)) {
      throw new PinException(NOT_PINNED);
    }
  }

  @Override
  public long count(PinType type) {
    return store.count(type);
  }

  @Override
  public Optional<Pin> pinned(Cid cid, Set<PinType> types) throws PinException {
    if (types.contains(PinType.RECURSIVE)) {
      Optional<Pin> p = store.get(PinType.RECURSIVE, cid);
      if (p.isPresent()) {
        return p;
      }
    }
    if (types.contains(PinType.DIRECT)) {
      Optional<Pin> p = store.get(PinType.DIRECT, cid);
      if (p.isPresent()) {
        return p;
      }
    }
    if (types.contains(PinType.INDIRECT)) {
      return findIndirect(cid).map(via -> new Pin(cid, PinType.INDIRECT, 0, "", via));
    }
    return Optional.empty();
  }

  /** Thrown by the search's visitor to end a walk once the block is found. */
  private static final DagException FOUND = new DagException(null, "found");

  /** The first recursive pin whose DAG reaches {@code target} below its root, walking locally. */
  private Optional<Cid> findIndirect(Cid target) throws PinException {
    LiveSet seen = new LiveSet(1);
    try (Stream<Pin> recursive = store.stream(PinType.RECURSIVE)) {
      for (Iterator<Pin> it = recursive.iterator(); it.hasNext(); ) {
        Pin p = it.next();
        boolean unbounded = p.maxDepth() == -1;
        DagWalk w = dag.walk(List.of(p.cid()), WalkOptions.local().withMaxDepth(p.maxDepth()), (block, depth) -> {
          if (depth > 0 && block.cid().equals(target)) {
            throw FOUND;
          }
          // Below a block an earlier unbounded walk finished, that walk looked already.
          return !unbounded || seen.mark(block.cid());
        });
        try {
          w.done().join();
        } catch (CompletionException | CancellationException e) {
          if (e.getCause() == FOUND || (e.getCause() != null && e.getCause().getCause() == FOUND)) {
            return Optional.of(p.cid());
          }
          if (e instanceof CancellationException) {
            throw new PinException("looking for indirect pins was cancelled");
          }
          // A pin whose blocks cannot all be read does not reach the block as far as can be told.
          log.warn("pin {} could not be walked looking for {}: {}", p.cid(), target, e.getCause().getMessage());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Stream<Pin> list(PinType type) {
    return type == PinType.INDIRECT ? indirect() : store.stream(type);
  }

  /** A queue entry that ends the indirect listing. */
  private static final Object END = new Object();
  /** Indirect pins waiting for the reader, at most (the walks wait while it is full). */
  static final int INDIRECT_BUFFER = 1024;

  /**
   * The indirect pins: the recursive pins walked one after another on a thread of their own, each block
   * below a root that is not itself a recursive pin handed over once, through a bounded queue, so memory
   * stays bounded by the queue and the set of fingerprints already handed over.
   */
  private Stream<Pin> indirect() {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(INDIRECT_BUFFER);
    AtomicBoolean closed = new AtomicBoolean();
    AtomicReference<DagWalk> current = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      LiveSet finished = new LiveSet(1);
      LongHashSet handedOver = new LongHashSet(1024);
      try (Stream<Pin> recursive = store.stream(PinType.RECURSIVE)) {
        for (Iterator<Pin> it = recursive.iterator(); it.hasNext() && !closed.get(); ) {
          Pin p = it.next();
          boolean unbounded = p.maxDepth() == -1;
          DagWalk w = dag.walk(List.of(p.cid()), WalkOptions.local().withMaxDepth(p.maxDepth()), (block, depth) -> {
            Cid cid = block.cid();
            if (unbounded && !finished.mark(cid)) {
              return false;
            }
            if (depth > 0 && handedOver.add(Fingerprint.of(cid)) && !store.has(PinType.RECURSIVE, cid)) {
              hand(queue, closed, new Pin(cid, PinType.INDIRECT, 0, "", null));
            }
            return true;
          });
          current.set(w);
          if (closed.get()) {
            w.cancel();
          }
          w.done().join();
        }
        hand(queue, closed, END);
      } catch (RuntimeException | DagException e) {
        if (!closed.get()) {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          try {
            hand(queue, closed, new IllegalStateException("listing indirect pins failed: " + cause.getMessage(), cause));
          } catch (DagException closedMeanwhile) {
            // the reader left
          }
        }
      }
    }, "cairn-pin-ls-indirect");
    producer.setDaemon(true);
    producer.start();
    Iterator<Pin> it = new Iterator<>() {
      private Object next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing indirect pins", e);
          }
        }
        if (next instanceof RuntimeException failure) {
          throw failure;
        }
        return next != END;
      }

      @Override
      public Pin next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Pin p = (Pin) next;
        next = null;
        return p;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.NONNULL), false).onClose(() -> {
      closed.set(true);
      DagWalk w = current.get();
      if (w != null) {
        w.cancel();
      }
      queue.clear();
    });
  }

  /** Hands {@code item} to the reader, waiting while the queue is full, until the reader closes the stream. */
  private static void hand(BlockingQueue<Object> queue, AtomicBoolean closed, Object item) throws DagException {
    try {
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        if (closed.get()) {
          throw new DagException(null, "the listing was closed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DagException(null, "interrupted");
    }
  }

  @Override
  public Stream<Verification> verify() {
    return store.stream(PinType.RECURSIVE).map(this::verify);
  }

  private Verification verify(Pin pin) {
    DagWalk w = dag.walk(List.of(pin.cid()), WalkOptions.local().withMaxDepth(pin.maxDepth()), (block, depth) -> {
      if (!block.verify()) {
        throw new DagException(block.cid(), "block does not hash to its CID");
      }
      return true;
    });
    try {
      w.done().join();
      return new Verification(pin.cid(), true, null, null);
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      Cid bad = cause instanceof DagException d && d.cid() != null ? d.cid() : pin.cid();
      return new Verification(pin.cid(), false, bad, cause.getMessage());
    }
  }
}
