package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.EngineStatus;
import io.cairn.bitswap.LedgerEntry;
import io.cairn.bitswap.ServerStats;
import io.cairn.bitswap.Want;
import io.cairn.bitswap.message.BitswapCodec;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.BlockPayload;
import io.cairn.bitswap.message.BlockPresence;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantType;
import io.cairn.bitswap.spi.Batch;
import io.cairn.bitswap.spi.BatchFlush;
import io.cairn.bitswap.spi.BatchRequestProcessor;
import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.bitswap.spi.NoBatching;
import io.cairn.bitswap.spi.PeerRank;
import io.cairn.bitswap.spi.PeerTurn;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.bitswap.spi.WantClass;
import io.cairn.bitswap.spi.WantPriorityOrder;
import io.cairn.bitswap.spi.WantRequest;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.blockstore.MemoryPressureException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.node.config.Configs;
import io.cairn.node.strategy.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.CollectionType;
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
 * The bitswap engine (boxo's decision engine). A message's wants land in the sender's
 * {@link PeerLedger} on the network thread, each in the class the {@link PriorityRequestManager} gives
 * it; a ledger with queued wants sits once in the ready queue, placed by the priority manager's rank
 * (first come, first served among equals); task workers take the head ledger, take up to a turn's
 * worth of its best wants, look them up (at most the {@link BitswapLimits}' lookup concurrency at
 * once), send the blocks and presences in messages of about the target size, and put the ledger back
 * if it has more. Bytes in flight per peer and to all peers together are capped by the limits
 * strategy, so a peer that reads slowly holds back only itself.
 *
 * <p>Over capacity (while better-class wants wait, peers with only lowest-class wants waiting for a
 * worker past the limits' queue delay throughout an interval, or the lookups at their limit; or the
 * global byte budget spent), the lowest class is shed first, as its wants arrive and when its turn
 * comes: its wants are answered DONT_HAVE where the peer asked for that, else deferred until capacity
 * frees; better classes keep being served.
 *
 * <p>How a peer's wants are grouped is the {@link BatchRequestProcessor}'s: a ledger about to join the
 * ready queue may be held (a timer, at most {@link #MAX_HOLD_NANOS}) until enough wants gather, a want
 * that must not wait arrives, or its hold runs out; its turn then takes the batch's size, and a batch
 * looked up together costs one {@code getSizes} and one {@code getMany} call over the blockstore (each
 * tier answering in one pass) instead of a lookup per want, and reads only the blocks that fit the
 * peer's byte budget. Unbatched, a turn is boxo's: {@code maxTasksPerEnvelope} wants, one lookup each.
 *
 * <p>The strategies are services held by MULTIPLE DYNAMIC GREEDY references ({@code priority},
 * {@code limits}, {@code batch}; {@code <name>.target} in this component's configuration selects one):
 * the best ranked is used, one that throws is dropped for the next (logged once), and boxo's fixed
 * behaviour ({@link WantPriorityOrder}, {@link FixedLimits#BOXO}, {@link NoBatching}) is the last resort. A want keeps the class and
 * order it was queued with; bytes and lookups in flight are counted here, not in the strategy, so a
 * swap moves work over without failing it.
 */
@Component(service = BitswapEngine.class, immediate = true, configurationPid = BitswapEngineComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EngineConfig.class)
public class BitswapEngineComponent implements BitswapEngine, BitswapReceiver, PeerLedger.WaitingIndex {
  /** boxo's engine tag for a peer with queued work ({@code tagQueued}, {@code queuedTagWeight}). */
  static final String QUEUED_TAG = "bs-engine-queued";
  static final int QUEUED_TAG_VALUE = 10;
  public static final String PID = "io.cairn.bitswap.server";
  /** The longest a batch strategy may hold a peer's wants, whatever it asks: a broken one cannot stall a peer. */
  static final long MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** How often the limits are told a peer's round trip once it is known (yamux measures it every keep-alive). */
  private static final long ROUND_TRIP_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BitswapNetwork network;
  private final Blockstore blockstore;
  private final Logger log;
  private final Map<PeerId, PeerLedger> ledgers = new ConcurrentHashMap<>();
  /** Which peers wait for which CIDs we lack. */
  private final Map<Cid, Set<PeerLedger>> waitingFor = new ConcurrentHashMap<>();
  /**
   * A ledger waiting for a worker, placed by the priority manager's rank, then first come first served;
   * with the batch its turn takes, why it goes now, when it joined and whether a worker has taken it
   * (one whose best wants are of the lowest class is also on {@link #lowestReady} while the limits shed by
   * queue delay).
   */
  private record Ready(PeerLedger ledger, PeerRank rank, long seq, Batch batch, BatchFlush flush, long readyAt,
      AtomicBoolean taken) {}

  /**
   * A ledger the batch strategy holds for more wants until its timer (or an earlier release); re-armed
   * (a new Held) each time the strategy, asked again, gives a new hold, never past {@code since} +
   * {@link #MAX_HOLD_NANOS}.
   */
  private static final class Held {
    final Batch batch;
    final long since;
    volatile ScheduledFuture<?> timer;

    Held(Batch batch, long since) {
      this.batch = batch;
      this.since = since;
    }
  }

  private final PriorityBlockingQueue<Ready> ready = new PriorityBlockingQueue<>(64,
      Comparator.comparing(Ready::rank).thenComparingLong(Ready::seq));
  private final AtomicLong readySeq = new AtomicLong();
  /** Ledgers held back while the engine sheds the lowest class: rescheduled when capacity frees. */
  private final Set<PeerLedger> deferred = ConcurrentHashMap.newKeySet();
  /** How long lowest-class peers wait for a worker: the engine being behind is one way of being over capacity. */
  private final QueueDelay queueDelay = new QueueDelay();
  /**
   * The ready ledgers whose best wants are of the lowest class, in the order they joined; a taken one is
   * dropped when it reaches the head (at most a few per ledger linger behind a head that waits long).
   */
  private final Queue<Ready> lowestReady = new ConcurrentLinkedQueue<>();
  private final Strategies<PriorityRequestManager> priorities;
  private final Strategies<BitswapLimits> limits;
  private final Strategies<BatchRequestProcessor> batchers;
  /** Ledgers held by the batch strategy; each is scheduled (in no other queue) while here. */
  private final Map<PeerLedger, Held> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService holdTimer = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().daemon().name("bitswap-engine-batch").unstarted(r));
  /** Turns served, wants they took, why each went; blockstore calls made; messages sent. */
  private final LongAdder turnsServed = new LongAdder();
  private final LongAdder wantsTaken = new LongAdder();
  private final AtomicLongArray flushes = new AtomicLongArray(BatchFlush.values().length);
  private final LongAdder lookupCalls = new LongAdder();
  private final LongAdder messagesSent = new LongAdder();
  /** The priority manager as ledgers call it: the best working strategy, isolated. */
  private final PriorityRequestManager priority = new IsolatedPriority();
  private final LookupGate lookups = new LookupGate();
  /** Wants queued now in each class, over all peers. */
  private final AtomicLongArray queuedByClass = new AtomicLongArray(WantClass.values().length);
  private final EnumMap<WantClass, LatencyRecorder> latency = new EnumMap<>(WantClass.class);
  private final AtomicLong promoted = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong deferrals = new AtomicLong();
  private final AtomicLong memoryPressure = new AtomicLong();
  /** Package-private for tests that drive time. */
  volatile LongSupplier clock = System::nanoTime;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong blocksSent = new AtomicLong();
  private final AtomicLong dataSent = new AtomicLong();
  private final AtomicLong haveSent = new AtomicLong();
  private final AtomicLong dontHaveSent = new AtomicLong();
  private final AtomicLong messagesReceived = new AtomicLong();
  private final AtomicLong malformedMessages = new AtomicLong();
  private final AtomicLong outstandingBytes = new AtomicLong();
  /** Boxo's task gauges: wants being served now, and their blockstore lookups running and waiting for a worker. */
  private final AtomicInteger activeTasks = new AtomicInteger();
  private final AtomicInteger activeBlockTasks = new AtomicInteger();
  private final AtomicInteger pendingBlockTasks = new AtomicInteger();
  private volatile EngineMetrics metrics;
  private volatile EngineSettings settings;
  private volatile boolean running = true;
  /** Guarded by this: the observation of the bound store's stored blocks. */
  private MultiTierBlockstore.Observation stored;
  private MultiTierBlockstore storedBy;

  @Activate
  public BitswapEngineComponent(@Reference BitswapNetwork network, @Reference Blockstore blockstore,
      @Reference(service = LoggerFactory.class) Logger log, EngineConfig config) {
    this.network = network;
    // A peer's want is answered in time or as a miss: a tier whose breaker is open is skipped.
    this.blockstore = blockstore.failFast();
    this.log = log;
    this.priorities = new Strategies<>("bitswap priority", WantPriorityOrder.INSTANCE, "static (built-in)", log);
    this.limits = new Strategies<>("bitswap limits", FixedLimits.BOXO, "static (built-in)", log);
    this.batchers = new Strategies<>("bitswap batch", NoBatching.INSTANCE, "static (built-in)", log);
    for (WantClass c : WantClass.values()) {
      latency.put(c, new LatencyRecorder());
    }
    apply(Configs.validate(PID, config, EngineSettings::of, log)
        .orElseGet(() -> EngineSettings.of(Configs.defaults(EngineConfig.class))));
    network.addReceiver(this);
  }

  @Modified
  void modified(EngineConfig config) {
    Configs.validate(PID, config, EngineSettings::of, log).ifPresent(this::apply);
  }

  /** Takes new settings: resizes the worker pool in place. */
  private synchronized void apply(EngineSettings next) {
    settings = next;
    while (workers.size() < next.taskWorkerCount()) {
      Thread worker = Thread.ofPlatform().daemon().name("bitswap-engine-" + workers.size()).start(this::work);
      workers.add(worker);
    }
    while (workers.size() > next.taskWorkerCount()) {
      workers.remove(workers.size() - 1).interrupt();
    }
    ledgers.values().forEach(this::schedule);
  }

  // ---- strategies (DS: MULTIPLE DYNAMIC GREEDY; "priority.target" / "limits.target" select)

  @Reference(name = "priority", service = PriorityRequestManager.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
      collectionType = CollectionType.SERVICE, unbind = "unbindPriority", updated = "updatedPriority")
  void bindPriority(PriorityRequestManager strategy, Map<String, Object> props) {
    priorities.bind(strategy, props);
    strategiesChanged();
  }

  void updatedPriority(PriorityRequestManager strategy, Map<String, Object> props) {
    priorities.updated(strategy, props);
    strategiesChanged();
  }

  void unbindPriority(PriorityRequestManager strategy) {
    priorities.unbind(strategy);
    strategiesChanged();
  }

  @Reference(name = "limits", service = BitswapLimits.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
      collectionType = CollectionType.SERVICE, unbind = "unbindLimits", updated = "updatedLimits")
  void bindLimits(BitswapLimits strategy, Map<String, Object> props) {
    limits.bind(strategy, props);
    strategiesChanged();
  }

  void updatedLimits(BitswapLimits strategy, Map<String, Object> props) {
    limits.updated(strategy, props);
    strategiesChanged();
  }

  void unbindLimits(BitswapLimits strategy) {
    limits.unbind(strategy);
    strategiesChanged();
  }

  @Reference(name = "batch", service = BatchRequestProcessor.class, cardinality = ReferenceCardinality.AT_LEAST_ONE,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
      collectionType = CollectionType.SERVICE, unbind = "unbindBatch", updated = "updatedBatch")
  void bindBatch(BatchRequestProcessor strategy, Map<String, Object> props) {
    batchers.bind(strategy, props);
    strategiesChanged();
  }

  void updatedBatch(BatchRequestProcessor strategy, Map<String, Object> props) {
    batchers.updated(strategy, props);
    strategiesChanged();
  }

  void unbindBatch(BatchRequestProcessor strategy) {
    batchers.unbind(strategy);
    strategiesChanged();
  }

  /** New limits may let held-back peers go; the metrics name the strategies now in use. */
  private void strategiesChanged() {
    EngineMetrics m = metrics;
    if (m != null) {
      m.strategies(priorities.inUse(), limits.inUse(), batchers.inUse());
    }
    wakeDeferred();
    ledgers.values().forEach(this::schedule);
  }

  /** The best working priority strategy, each call isolated ({@link Strategies#apply}); a null answer counts as a failure. */
  private final class IsolatedPriority implements PriorityRequestManager {
    @Override
    public WantClass classify(WantRequest want) {
      return priorities.apply(p -> Objects.requireNonNull(p.classify(want), "classify returned null"));
    }

    @Override
    public long order(WantRequest want) {
      return priorities.apply(p -> p.order(want));
    }

    @Override
    public WantClass promote(WantClass current, long waitedNanos) {
      return priorities.apply(p -> Objects.requireNonNull(p.promote(current, waitedNanos), "promote returned null"));
    }

    @Override
    public PeerRank rank(PeerTurn peer) {
      return priorities.apply(p -> Objects.requireNonNull(p.rank(peer), "rank returned null"));
    }
  }

  private long peerLimit(PeerId peer) {
    return limits.apply(l -> positive(l.peerOutstandingBytes(peer), "peerOutstandingBytes"));
  }

  private long globalLimit() {
    return limits.apply(l -> positive(l.globalOutstandingBytes(), "globalOutstandingBytes"));
  }

  private int lookupLimit() {
    return limits.apply(l -> (int) positive(l.lookupConcurrency(), "lookupConcurrency"));
  }

  /**
   * The batch strategy's plan for a ledger, isolated; a null plan counts as a failure, a hold is capped
   * at {@link #MAX_HOLD_NANOS}.
   */
  private Batch plan(PeerLedger ledger, PeerTurn turn) {
    long waited = ledger.longestQueuedNanos();
    int turnSize = settings.maxTasksPerEnvelope();
    Batch b = batchers.apply(p -> Objects.requireNonNull(p.plan(turn, waited, turnSize), "plan returned null"));
    return b.holdNanos() > MAX_HOLD_NANOS ? new Batch(b.size(), MAX_HOLD_NANOS, b.together(), b.flush()) : b;
  }

  private static long positive(long value, String what) {
    if (value < 1) {
      throw new IllegalStateException(what + " returned " + value);
    }
    return value;
  }

  @Deactivate
  synchronized void deactivate() {
    network.removeReceiver(this);
    running = false;
    holdTimer.shutdownNow();
    held.clear();
    workers.forEach(Thread::interrupt);
    workers.clear();
    ledgers.values().forEach(PeerLedger::close);
    ledgers.clear();
  }

  /**
   * The node's metric registry, when the monitoring bundle runs: boxo's engine metrics go there. Typed
   * {@code Object} so this class loads without the metrics package (an optional import): only
   * {@link EngineMetrics} touches it.
   */
  @Reference(service = com.codahale.metrics.MetricRegistry.class, cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  void bindMetrics(Object registry) {
    EngineMetrics previous = metrics;
    if (previous != null) {
      previous.close();
    }
    EngineMetrics next = new EngineMetrics(registry, activeTasks::get, activeBlockTasks::get, pendingBlockTasks::get,
        this::status, lookups::inFlight);
    next.strategies(priorities.inUse(), limits.inUse(), batchers.inUse());
    metrics = next;
  }

  void unbindMetrics(Object registry) {
    EngineMetrics current = metrics;
    if (current != null && current.registry() == registry) {
      metrics = null;
      current.close();
    }
  }

  // ---- receiving (network threads: bookkeeping only)

  @Override
  public void receive(PeerId from, BitswapMessage message) {
    messagesReceived.incrementAndGet();
    PeerLedger ledger = ledgers.get(from);
    if (ledger == null) {
      // peerConnected comes first; a message that follows the disconnect has nobody to answer.
      return;
    }
    long blockBytes = 0;
    for (BlockPayload b : message.blocks()) {
      blockBytes += b.data().length;
    }
    int dropped = ledger.applyWants(message.wantlist(), message.full(), settings.maxQueuedWantlistEntriesPerPeer(),
        message.blocks().size(), blockBytes);
    if (dropped > 0) {
      log.debug("{} wants of {} dropped: its wantlist is at maxQueuedWantlistEntriesPerPeer", dropped, from);
    }
    if (shedding()) {
      // Over capacity: the lowest class's wants are answered now rather than queued to be shed later.
      answerShed(ledger, ledger.shed(Integer.MAX_VALUE));
    }
    schedule(ledger);
  }

  @Override
  public void peerConnected(PeerId peer, BitswapProtocol protocol) {
    ledgers.computeIfAbsent(peer, p -> new PeerLedger(p, this, priority, clock));
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    PeerLedger ledger = ledgers.remove(peer);
    if (ledger != null) {
      ledger.close();
      deferred.remove(ledger);
      Held h = held.remove(ledger);
      if (h != null && h.timer != null) {
        h.timer.cancel(false);
      }
    }
    limits.tellAll(l -> l.peerGone(peer));
    batchers.tellAll(b -> b.peerGone(peer));
  }

  @Override
  public void malformedMessage(PeerId from, String reason) {
    malformedMessages.incrementAndGet();
  }

  @Override
  public void notifyNewBlocks(List<Block> blocks) {
    for (Block block : blocks) {
      arrived(block.cid());
    }
  }

  /** A block we lacked is here now: peers waiting for it go back to the queue and are served. */
  private void arrived(Cid cid) {
    Set<PeerLedger> waiting = waitingFor.get(cid);
    if (waiting != null) {
      for (PeerLedger ledger : List.copyOf(waiting)) {
        ledger.blockArrived(cid);
        schedule(ledger);
      }
    }
  }

  /** The connection manager, when the network layer runs: peers with queued wants are tagged there. */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ConnManager connManager;

  /**
   * The node's store tells the engine of every block stored, whoever stored it (block/put, add, dag/import,
   * the client's receipts), once it is readable: a peer already waiting for it is served at once instead of
   * when it repeats its want (Helia never does). The one path by which local writes reach the engine; see
   * io.cairn.blockstore.service's BlockServiceComponent for why not the exchange.
   */
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  synchronized void bindStore(MultiTierBlockstore store) {
    MultiTierBlockstore.Observation previous = stored;
    stored = store.observeStored(this::arrived);
    storedBy = store;
    if (previous != null) {
      previous.close();
    }
  }

  synchronized void unbindStore(MultiTierBlockstore store) {
    if (storedBy == store && stored != null) {
      stored.close();
      stored = null;
      storedBy = null;
    }
  }

  @Override
  public void waiting(Cid cid, PeerLedger ledger) {
    waitingFor.computeIfAbsent(cid, c -> ConcurrentHashMap.newKeySet()).add(ledger);
  }

  @Override
  public void notWaiting(Cid cid, PeerLedger ledger) {
    waitingFor.computeIfPresent(cid, (c, set) -> {
      set.remove(ledger);
      return set.isEmpty() ? null : set;
    });
  }

  @Override
  public void queued(WantClass wantClass, int delta) {
    queuedByClass.addAndGet(wantClass.ordinal(), delta);
  }

  @Override
  public void promoted(WantClass from, WantClass to) {
    promoted.incrementAndGet();
  }

  /**
   * As boxo's engine tags a peer with queued work ({@code bs-engine-queued}, 10), so the connection
   * manager does not trim a peer the node is serving.
   */
  @Override
  public void busy(PeerLedger ledger, boolean busy) {
    ConnManager cm = connManager;
    if (cm != null) {
      if (busy) {
        cm.tagPeer(ledger.peer, QUEUED_TAG, QUEUED_TAG_VALUE);
      } else {
        cm.untagPeer(ledger.peer, QUEUED_TAG);
      }
    }
  }

  private void schedule(PeerLedger ledger) {
    Held h = held.get(ledger);
    if (h != null) {
      // Held for more wants: asked again whether it may go now (enough wants, or one that must not wait).
      Batch now = plan(ledger, ledger.turn());
      if (now.holdNanos() == 0) {
        release(ledger, h, now, now.flush());
      } else {
        hold(ledger, h, now);
      }
      return;
    }
    switch (ledger.trySchedule(peerLimit(ledger.peer), shedding())) {
      case READY -> {
        PeerTurn turn = ledger.turn();
        Batch batch = plan(ledger, turn);
        if (batch.holdNanos() == 0) {
          enqueue(ledger, turn, batch, batch.flush());
        } else {
          hold(ledger, null, batch);
        }
      }
      case DEFERRED -> {
        if (deferred.add(ledger)) {
          deferrals.incrementAndGet();
        }
        // Capacity may have freed between the check and the add: do not strand the ledger.
        if (!shedding()) {
          wakeDeferred();
        }
      }
      case NONE -> { }
    }
  }

  /**
   * Holds a scheduled ledger until its batch's hold runs out, unless {@link #schedule} releases it
   * first; {@code previous} (a hold being re-armed) or null. No ledger is held longer than
   * {@link #MAX_HOLD_NANOS} in all.
   */
  private void hold(PeerLedger ledger, Held previous, Batch batch) {
    long now = clock.getAsLong();
    long since = previous == null ? now : previous.since;
    long delay = Math.min(batch.holdNanos(), since + MAX_HOLD_NANOS - now);
    Held h = new Held(batch, since);
    if (previous == null) {
      held.put(ledger, h);
    } else if (held.replace(ledger, previous, h)) {
      ScheduledFuture<?> old = previous.timer;
      if (old != null) {
        old.cancel(false);
      }
    } else {
      return;
    }
    try {
      h.timer = holdTimer.schedule(() -> release(ledger, h, batch, BatchFlush.TIMEOUT), Math.max(0, delay),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      release(ledger, h, batch, BatchFlush.TIMEOUT);
    }
  }

  /**
   * Puts a ledger on the ready queue (and, if its best wants are of the lowest class and the limits shed by
   * queue delay, on {@link #lowestReady}).
   */
  private void enqueue(PeerLedger ledger, PeerTurn turn, Batch batch, BatchFlush flush) {
    Ready r = new Ready(ledger, priority.rank(turn), readySeq.getAndIncrement(), batch, flush, clock.getAsLong(),
        new AtomicBoolean());
    if (turn.bestClass() == WantClass.NORMAL && shedQueueDelay() > 0) {
      lowestReady.add(r);
    }
    ready.add(r);
  }

  /** How long the longest-waiting ledger with only lowest-class wants has waited for a worker (0: none waits). */
  private long lowestClassWait(long now) {
    Ready head;
    while ((head = lowestReady.peek()) != null && head.taken().get()) {
      lowestReady.remove(head);
    }
    return head == null ? 0 : now - head.readyAt();
  }

  /** A held ledger goes to the ready queue (once: whichever of its timer and an early release comes first). */
  private void release(PeerLedger ledger, Held h, Batch batch, BatchFlush flush) {
    if (!held.remove(ledger, h)) {
      return;
    }
    ScheduledFuture<?> timer = h.timer;
    if (timer != null && flush != BatchFlush.TIMEOUT) {
      timer.cancel(false);
    }
    enqueue(ledger, ledger.turn(), batch, flush);
  }

  /**
   * Whether the lowest class is shed now: the global byte budget is spent; or, while wants of a better
   * class wait, peers with only its wants have waited for a worker past the limits' queue delay
   * throughout an interval ({@link QueueDelay}) or the lookups are at their limit. With every want in
   * one class, no queue delay limit and no global budget (the static strategies), never: the engine
   * behaves as boxo's.
   */
  private boolean shedding() {
    if (outstandingBytes.get() >= globalLimit()) {
      return true;
    }
    // Behind or at the lookup limit, the lowest class yields to better ones; alone (a peer pinning a DAG
    // at full speed), its wait is its own backlog, and shedding it would help nobody.
    if (!queueDelay.behind(clock.getAsLong()) && lookups.inFlight() < lookupLimit()) {
      return false;
    }
    for (WantClass c : WantClass.values()) {
      if (c != WantClass.NORMAL && queuedByClass.get(c.ordinal()) > 0) {
        return true;
      }
    }
    return false;
  }

  /** The peer's round trip to tell the limits at {@code now}, or 0: asked of the network once a second once known. */
  private long roundTripToTell(PeerLedger ledger, long now) {
    if (!ledger.roundTripDue(now)) {
      return 0;
    }
    long rtt = network.roundTrip(ledger.peer).map(Duration::toNanos).orElse(0L);
    if (rtt > 0) {
      ledger.roundTripTold(now, ROUND_TRIP_REFRESH_NANOS);
    }
    return rtt;
  }

  private long shedQueueDelay() {
    return limits.apply(l -> Math.max(0, l.shedQueueDelayNanos()));
  }

  /**
   * A worker takes a turn: tells {@link QueueDelay} how long the lowest class has waited; when that ends
   * the engine being behind, capacity freed. Limits that never shed by queue delay (boxo's) cost nothing here.
   */
  private void observeQueueDelay(long now) {
    long target = shedQueueDelay();
    boolean wasBehind = queueDelay.behind(now);
    if (target == 0 && !wasBehind) {
      return;
    }
    if (!queueDelay.observe(lowestClassWait(now), target, now) && wasBehind) {
      wakeDeferred();
    }
  }

  /** Capacity freed: held-back ledgers go back to scheduling. */
  private void wakeDeferred() {
    if (deferred.isEmpty() || shedding()) {
      return;
    }
    for (PeerLedger ledger : List.copyOf(deferred)) {
      if (deferred.remove(ledger)) {
        schedule(ledger);
      }
    }
  }

  // ---- serving (task workers)

  private void work() {
    while (running && !Thread.currentThread().isInterrupted()) {
      Ready next;
      try {
        next = ready.take();
      } catch (InterruptedException e) {
        return;
      }
      next.taken().set(true);
      // At every turn, whatever its class: the lowest class may be waiting because better ones go first.
      observeQueueDelay(clock.getAsLong());
      PeerLedger ledger = next.ledger();
      try {
        serve(ledger, next.batch(), next.flush());
      } catch (RuntimeException e) {
        log.error("bitswap engine failed serving {}", ledger.peer, e);
      } finally {
        ledger.unschedule();
        schedule(ledger);
      }
    }
  }

  /** What a lookup found for one want. */
  private record Found(WantTask task, WantType type, Block block, int size) {}

  /** One turn for one peer: take its best wants (as many as the batch takes), look them up, answer them. */
  private void serve(PeerLedger ledger, Batch batch, BatchFlush flush) {
    EngineSettings s = settings;
    PeerLedger.Turn turn = ledger.take(batch.size(), peerLimit(ledger.peer), shedding());
    answerShed(ledger, turn.shed());
    List<WantTask> tasks = turn.tasks();
    if (tasks.isEmpty()) {
      return;
    }
    turnsServed.increment();
    wantsTaken.add(tasks.size());
    flushes.incrementAndGet(flush.ordinal());
    EngineMetrics m = metrics;
    if (m != null) {
      m.batch(tasks.size(), flush);
    }
    activeTasks.addAndGet(tasks.size());
    pendingBlockTasks.addAndGet(tasks.size());
    long start = clock.getAsLong();
    try {
      List<Found> found;
      // A lone want costs one lookup either way; together it would cost two (sizes, then the block).
      if (batch.together() && tasks.size() > 1) {
        found = lookUpTogether(ledger, tasks, s);
      } else {
        List<CompletableFuture<Found>> lookups = new ArrayList<>(tasks.size());
        for (WantTask t : tasks) {
          lookups.add(lookup(t, t.type, t.wantClass != WantClass.NORMAL, s));
        }
        found = new ArrayList<>(tasks.size());
        for (CompletableFuture<Found> lookup : lookups) {
          found.add(lookup.join());
        }
      }
      long lookupNanos = clock.getAsLong() - start;
      batchers.apply(b -> {
        b.served(ledger.peer, tasks.size(), flush, lookupNanos);
        return null;
      });
      answer(ledger, found, s);
    } finally {
      activeTasks.addAndGet(-tasks.size());
    }
  }

  /** Answers DONT_HAVE to the wants shed (they left the wantlist), if any. */
  private void answerShed(PeerLedger ledger, List<WantTask> shedTasks) {
    if (shedTasks.isEmpty()) {
      return;
    }
    shed.addAndGet(shedTasks.size());
    List<BlockPresence> dontHaves = new ArrayList<>(shedTasks.size());
    for (WantTask t : shedTasks) {
      dontHaves.add(new BlockPresence(t.cid, PresenceType.DONT_HAVE));
    }
    // Not recorded as answered: a shed want's latency is not its class's service time.
    sendOne(ledger, List.of(), dontHaves, List.of());
  }

  /**
   * A batch's lookups in two blockstore calls: the sizes of all its wants (an index pass), then the
   * blocks of those to be sent whole, want-blocks only as far as the peer's byte budget reaches (the
   * first always) and want-haves small enough to be answered with the block. A want-block past the
   * budget goes back to the queue unread. The batch takes one place under the lookup limit; the limits
   * strategy hears of it once, with the time per want. Returns what was found, in the wants' order.
   */
  private List<Found> lookUpTogether(PeerLedger ledger, List<WantTask> tasks, EngineSettings s) {
    int n = tasks.size();
    boolean urgent = tasks.stream().anyMatch(t -> t.wantClass != WantClass.NORMAL);
    int before;
    try {
      before = lookups.acquire(this::lookupLimit, urgent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pendingBlockTasks.addAndGet(-n);
      return tasks.stream().map(t -> new Found(t, t.type, null, -1)).toList();
    }
    pendingBlockTasks.addAndGet(-n);
    activeBlockTasks.addAndGet(n);
    long start = clock.getAsLong();
    List<Found> found = new ArrayList<>(n);
    boolean hit = false;
    try {
      List<Cid> cids = new ArrayList<>(n);
      tasks.forEach(t -> cids.add(t.cid));
      List<Integer> sizes = together(() -> blockstore.getSizes(cids), n, s);
      long budget = Math.min(peerLimit(ledger.peer) - ledger.outstandingBytes(), globalLimit() - outstandingBytes.get());
      long planned = 0;
      List<Cid> fetch = new ArrayList<>();
      List<Integer> fetchAt = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        WantTask t = tasks.get(i);
        Integer size = sizes.get(i);
        if (size == null) {
          found.add(new Found(t, t.type, null, -1));
          continue;
        }
        hit = true;
        boolean whole = t.type == WantType.BLOCK || size <= s.maxBlockSizeReplaceHasWithBlock();
        if (t.type == WantType.BLOCK && planned > 0 && planned + size > budget) {
          // Past the budget: not read now; it keeps its place for the peer's next turn.
          ledger.putBack(t);
          continue;
        }
        if (whole) {
          planned += size;
          fetchAt.add(found.size());
          fetch.add(t.cid);
        }
        found.add(new Found(t, t.type, null, size));
      }
      if (!fetch.isEmpty()) {
        List<Block> blocks = together(() -> blockstore.getMany(fetch), fetch.size(), s);
        for (int k = 0; k < fetch.size(); k++) {
          Found f = found.get(fetchAt.get(k));
          Block b = blocks.get(k);
          // Gone since its size was read: a miss like any other.
          found.set(fetchAt.get(k), b != null ? new Found(f.task, f.type, b, b.size()) : new Found(f.task, f.type, null, -1));
        }
      }
    } finally {
      activeBlockTasks.addAndGet(-n);
      lookups.release();
      long perWant = (clock.getAsLong() - start) / n;
      boolean anyHit = hit;
      limits.apply(l -> {
        l.lookedUp(perWant, anyHit, before);
        return null;
      });
      wakeDeferred();
    }
    return found;
  }

  /** One batched blockstore call's answer, {@code n} long; on a failure or timeout, all misses. */
  private <T> List<T> together(java.util.function.Supplier<CompletableFuture<List<T>>> call, int n, EngineSettings s) {
    lookupCalls.increment();
    try {
      List<T> answer = call.get().orTimeout(s.blockstoreTimeoutMillis(), TimeUnit.MILLISECONDS).join();
      if (answer != null && answer.size() == n) {
        return answer;
      }
      log.warn("the blockstore answered {} of {} batched lookups: counted as misses", answer == null ? 0 : answer.size(), n);
    } catch (RuntimeException error) {
      // A failed or timed-out call, or a blockstore that threw instead of failing its future.
      if (unwrap(error) instanceof MemoryPressureException) {
        memoryPressure.incrementAndGet();
        limits.apply(l -> {
          l.memoryPressure();
          return null;
        });
      }
    }
    return java.util.Collections.nCopies(n, null);
  }

  /** Answers what the lookups found: blocks within the byte budget, presences, DONT_HAVEs where asked. */
  private void answer(PeerLedger ledger, List<Found> lookups, EngineSettings s) {
    List<BlockPayload> blocks = new ArrayList<>();
    List<BlockPresence> presences = new ArrayList<>();
    // Within the peer's limit and what is left of the global budget (the first block always goes).
    long budget = Math.min(peerLimit(ledger.peer) - ledger.outstandingBytes(), globalLimit() - outstandingBytes.get());
    long blockBytes = 0;
    List<WantTask> answered = new ArrayList<>();
    List<WantTask> blockTasks = new ArrayList<>();
    List<WantTask> presenceTasks = new ArrayList<>();
    for (Found f : lookups) {
      WantTask t = f.task;
      if (!ledger.stillWanted(t)) {
        continue;
      }
      if (f.block != null) {
        // The first block always goes, so a block larger than the budget is not stuck forever.
        if (!blocks.isEmpty() && blockBytes + f.block.size() > budget) {
          ledger.putBack(t);
          continue;
        }
        blocks.add(BlockPayload.of(f.block.cid(), f.block.data()));
        blockBytes += f.block.size();
        answered.add(t);
        blockTasks.add(t);
      } else if (f.size >= 0) {
        presences.add(new BlockPresence(t.cid, PresenceType.HAVE));
        answered.add(t);
        presenceTasks.add(t);
      } else {
        if (t.sendDontHave) {
          presences.add(new BlockPresence(t.cid, PresenceType.DONT_HAVE));
          presenceTasks.add(t);
        }
        ledger.notFound(t);
      }
    }
    answered.forEach(ledger::answered);
    send(ledger, blocks, blockTasks, presences, presenceTasks, s.targetMessageBytes());
  }

  /** Looks a want up: the block for want-block (or a small enough block for want-have), else its size or -1. */
  private CompletableFuture<Found> lookup(WantTask t, WantType type, boolean priority, EngineSettings s) {
    int before;
    try {
      before = lookups.acquire(this::lookupLimit, priority);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.completedFuture(new Found(t, type, null, -1));
    } finally {
      pendingBlockTasks.decrementAndGet();
    }
    activeBlockTasks.incrementAndGet();
    long start = clock.getAsLong();
    lookupCalls.increment();
    CompletableFuture<Found> found;
    if (type == WantType.BLOCK) {
      found = blockstore.get(t.cid).thenApply(b -> new Found(t, type, b, b.size()));
    } else {
      found = blockstore.getSize(t.cid).thenCompose(size -> size <= s.maxBlockSizeReplaceHasWithBlock()
          ? countedGet(t.cid).thenApply(b -> new Found(t, type, b, size))
          : CompletableFuture.completedFuture(new Found(t, type, null, size)));
    }
    return found.orTimeout(s.blockstoreTimeoutMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(error -> {
          if (unwrap(error) instanceof MemoryPressureException) {
            memoryPressure.incrementAndGet();
            limits.apply(l -> {
              l.memoryPressure();
              return null;
            });
          }
          return new Found(t, type, null, -1);
        })
        .whenComplete((f, error) -> {
          activeBlockTasks.decrementAndGet();
          lookups.release();
          long nanos = clock.getAsLong() - start;
          boolean hit = f != null && (f.block != null || f.size >= 0);
          limits.apply(l -> {
            l.lookedUp(nanos, hit, before);
            return null;
          });
          wakeDeferred();
        });
  }

  private CompletableFuture<Block> countedGet(Cid cid) {
    lookupCalls.increment();
    return blockstore.get(cid);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /**
   * Sends the answers in messages of about the target size; bytes count against the peer until written.
   * {@code blockTasks} and {@code presenceTasks} are the wants answered, index for index, whose latency
   * is recorded when their message is written.
   */
  private void send(PeerLedger ledger, List<BlockPayload> blocks, List<WantTask> blockTasks,
      List<BlockPresence> presences, List<WantTask> presenceTasks, int target) {
    List<BlockPayload> batch = new ArrayList<>();
    List<WantTask> batchTasks = new ArrayList<>();
    long batchBytes = 0;
    for (int i = 0; i < blocks.size(); i++) {
      BlockPayload b = blocks.get(i);
      if (!batch.isEmpty() && batchBytes + b.data().length > target) {
        sendOne(ledger, batch, List.of(), batchTasks);
        batch = new ArrayList<>();
        batchTasks = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(b);
      batchTasks.add(blockTasks.get(i));
      batchBytes += b.data().length;
    }
    if (!batch.isEmpty() || !presences.isEmpty()) {
      batchTasks.addAll(presenceTasks);
      sendOne(ledger, batch, presences, batchTasks);
    }
  }

  private void sendOne(PeerLedger ledger, List<BlockPayload> blocks, List<BlockPresence> presences,
      List<WantTask> tasks) {
    BitswapMessage message = new BitswapMessage(List.of(), false, blocks, presences, 0);
    long size = BitswapCodec.encodedSize(message, BitswapProtocol.V1_2_0);
    long blockBytes = 0;
    for (BlockPayload b : blocks) {
      blockBytes += b.data().length;
    }
    long bytes = blockBytes;
    int count = blocks.size();
    long haves = presences.stream().filter(p -> p.type() == PresenceType.HAVE).count();
    // The class and arrival of each answered want, read now: the ledger may reuse the task once answered.
    int n = tasks.size();
    WantClass[] classes = new WantClass[n];
    long[] arrived = new long[n];
    for (int i = 0; i < n; i++) {
      classes[i] = tasks.get(i).wantClass;
      arrived[i] = tasks.get(i).arrivedAt;
    }
    ledger.reserve(size);
    outstandingBytes.addAndGet(size);
    messagesSent.increment();
    long start = clock.getAsLong();
    network.send(ledger.peer, message).whenComplete((ok, error) -> {
      ledger.sent(size, count, bytes, error == null);
      outstandingBytes.addAndGet(-size);
      long now = clock.getAsLong();
      // The completion only says when the bytes left this node; the limits learn the path's delay apart.
      long rtt = roundTripToTell(ledger, now);
      limits.apply(l -> {
        if (rtt > 0) {
          l.peerRtt(ledger.peer, rtt);
        }
        l.sent(ledger.peer, size, now - start, error == null);
        return null;
      });
      if (error == null) {
        EngineMetrics em = metrics;
        for (int i = 0; i < n; i++) {
          latency.get(classes[i]).record(now - arrived[i]);
          if (em != null) {
            em.answered(classes[i], now - arrived[i]);
          }
        }
        blocksSent.addAndGet(count);
        dataSent.addAndGet(bytes);
        haveSent.addAndGet(haves);
        dontHaveSent.addAndGet(presences.size() - haves);
        EngineMetrics m = metrics;
        if (m != null) {
          m.sent(blocks, System.nanoTime() - start);
        }
      } else {
        log.debug("bitswap answer to {} not sent: {}", ledger.peer, error.toString());
      }
      schedule(ledger);
      wakeDeferred();
    });
  }

  // ---- BitswapEngine

  @Override
  public List<LedgerEntry> ledgers() {
    return ledgers.values().stream().map(PeerLedger::entry).toList();
  }

  @Override
  public Optional<LedgerEntry> ledger(PeerId peer) {
    return Optional.ofNullable(ledgers.get(peer)).map(PeerLedger::entry);
  }

  @Override
  public List<Want> wantlist(PeerId peer) {
    return Optional.ofNullable(ledgers.get(peer)).map(PeerLedger::wantlist).orElse(List.of());
  }

  @Override
  public ServerStats stats() {
    long queued = 0;
    for (PeerLedger l : ledgers.values()) {
      queued += l.queuedCount();
    }
    return new ServerStats(blocksSent.get(), dataSent.get(), haveSent.get(), dontHaveSent.get(),
        messagesReceived.get(), ledgers.size(), queued, outstandingBytes.get(), malformedMessages.get());
  }

  @Override
  public EngineStatus status() {
    long min = 0;
    long max = 0;
    boolean first = true;
    for (PeerLedger l : ledgers.values()) {
      long limit = peerLimit(l.peer);
      min = first ? limit : Math.min(min, limit);
      max = first ? limit : Math.max(max, limit);
      first = false;
    }
    List<EngineStatus.ClassStatus> classes = new ArrayList<>();
    for (WantClass c : WantClass.values()) {
      LatencyRecorder r = latency.get(c);
      long target = c.targetNanos();
      classes.add(new EngineStatus.ClassStatus(c.label(), target < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(target),
          queuedByClass.get(c.ordinal()), r.count(), r.percentileMillis(0.5), r.percentileMillis(0.95),
          r.percentileMillis(0.99)));
    }
    Map<String, Long> flushed = new java.util.LinkedHashMap<>();
    for (BatchFlush f : BatchFlush.values()) {
      flushed.put(f.label(), flushes.get(f.ordinal()));
    }
    EngineStatus.BatchStatus batching = new EngineStatus.BatchStatus(turnsServed.sum(), wantsTaken.sum(),
        lookupCalls.sum(), messagesSent.sum(), flushed);
    return new EngineStatus(priorities.inUse(), limits.inUse(), globalLimit(), outstandingBytes.get(), lookupLimit(),
        lookups.inFlight(), min, max, classes, promoted.get(), shed.get(), deferrals.get(), memoryPressure.get(),
        batchers.inUse(), batching);
  }
}
