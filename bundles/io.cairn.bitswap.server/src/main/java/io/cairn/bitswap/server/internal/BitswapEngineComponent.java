package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.BitswapEngine;
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
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The bitswap engine (boxo's decision engine). A message's wants land in the sender's
 * {@link PeerLedger} on the network thread; a ledger with queued wants sits once in the ready queue;
 * task workers take the head ledger, take up to a turn's worth of its best wants, look them up
 * (bounded by the blockstore workers), send the blocks and presences in messages of about the
 * target size, and put the ledger back at the tail if it has more: every peer with work gets a turn
 * before any peer gets a second one. Bytes in flight per peer are capped, so a peer that reads
 * slowly holds back only itself.
 */
@Component(service = BitswapEngine.class, immediate = true, configurationPid = BitswapEngineComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EngineConfig.class)
public class BitswapEngineComponent implements BitswapEngine, BitswapReceiver, PeerLedger.WaitingIndex {
  public static final String PID = "io.cairn.bitswap.server";

  private final BitswapNetwork network;
  private final Blockstore blockstore;
  private final Logger log;
  private final Map<PeerId, PeerLedger> ledgers = new ConcurrentHashMap<>();
  /** Which peers wait for which CIDs we lack. */
  private final Map<Cid, Set<PeerLedger>> waitingFor = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<PeerLedger> ready = new LinkedBlockingQueue<>();
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
  private volatile Semaphore blockstoreWorkers;
  private volatile boolean running = true;
  /** Guarded by this: the observation of the bound store's stored blocks. */
  private MultiTierBlockstore.Observation stored;
  private MultiTierBlockstore storedBy;

  @Activate
  public BitswapEngineComponent(@Reference BitswapNetwork network, @Reference Blockstore blockstore,
      @Reference(service = LoggerFactory.class) Logger log, EngineConfig config) {
    this.network = network;
    this.blockstore = blockstore;
    this.log = log;
    apply(Configs.validate(PID, config, EngineSettings::of, log)
        .orElseGet(() -> EngineSettings.of(Configs.defaults(EngineConfig.class))));
    network.addReceiver(this);
  }

  @Modified
  void modified(EngineConfig config) {
    Configs.validate(PID, config, EngineSettings::of, log).ifPresent(this::apply);
  }

  /** Takes new settings: resizes the worker pool and the blockstore worker permits in place. */
  private synchronized void apply(EngineSettings next) {
    EngineSettings previous = settings;
    if (previous == null || previous.blockstoreWorkerCount() != next.blockstoreWorkerCount()) {
      // Lookups in flight keep the permits of the semaphore they took; new ones use the new bound.
      blockstoreWorkers = new Semaphore(next.blockstoreWorkerCount());
    }
    settings = next;
    while (workers.size() < next.taskWorkerCount()) {
      Thread worker = Thread.ofPlatform().daemon().name("bitswap-engine-" + workers.size()).start(this::work);
      workers.add(worker);
    }
    while (workers.size() > next.taskWorkerCount()) {
      workers.remove(workers.size() - 1).interrupt();
    }
    // More budget per peer may let waiting peers go now.
    ledgers.values().forEach(this::schedule);
  }

  @Deactivate
  synchronized void deactivate() {
    network.removeReceiver(this);
    running = false;
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
    metrics = new EngineMetrics(registry, activeTasks::get, activeBlockTasks::get, pendingBlockTasks::get);
    if (previous != null) {
      previous.close();
    }
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
    schedule(ledger);
  }

  @Override
  public void peerConnected(PeerId peer, BitswapProtocol protocol) {
    ledgers.computeIfAbsent(peer, p -> new PeerLedger(p, this));
  }

  @Override
  public void peerDisconnected(PeerId peer) {
    PeerLedger ledger = ledgers.remove(peer);
    if (ledger != null) {
      ledger.close();
    }
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

  private void schedule(PeerLedger ledger) {
    if (ledger.trySchedule(settings.maxOutstandingBytesPerPeer())) {
      ready.add(ledger);
    }
  }

  // ---- serving (task workers)

  private void work() {
    while (running && !Thread.currentThread().isInterrupted()) {
      PeerLedger ledger;
      try {
        ledger = ready.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        serve(ledger);
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

  /** One turn for one peer: take its best wants, look them up, answer them. */
  private void serve(PeerLedger ledger) {
    EngineSettings s = settings;
    List<WantTask> tasks = ledger.take(s.maxTasksPerEnvelope(), s.maxOutstandingBytesPerPeer());
    if (tasks.isEmpty()) {
      return;
    }
    activeTasks.addAndGet(tasks.size());
    pendingBlockTasks.addAndGet(tasks.size());
    try {
      serve(ledger, tasks, s);
    } finally {
      activeTasks.addAndGet(-tasks.size());
    }
  }

  private void serve(PeerLedger ledger, List<WantTask> tasks, EngineSettings s) {
    List<CompletableFuture<Found>> lookups = new ArrayList<>(tasks.size());
    for (WantTask t : tasks) {
      lookups.add(lookup(t, t.type, s));
    }
    List<BlockPayload> blocks = new ArrayList<>();
    List<BlockPresence> presences = new ArrayList<>();
    long budget = s.maxOutstandingBytesPerPeer() - ledger.outstandingBytes();
    long blockBytes = 0;
    List<WantTask> answered = new ArrayList<>();
    for (CompletableFuture<Found> lookup : lookups) {
      Found f = lookup.join();
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
      } else if (f.size >= 0) {
        presences.add(new BlockPresence(t.cid, PresenceType.HAVE));
        answered.add(t);
      } else {
        if (t.sendDontHave) {
          presences.add(new BlockPresence(t.cid, PresenceType.DONT_HAVE));
        }
        ledger.notFound(t);
      }
    }
    answered.forEach(ledger::answered);
    send(ledger, blocks, presences, s.targetMessageBytes());
  }

  /** Looks a want up: the block for want-block (or a small enough block for want-have), else its size or -1. */
  private CompletableFuture<Found> lookup(WantTask t, WantType type, EngineSettings s) {
    Semaphore permits = blockstoreWorkers;
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.completedFuture(new Found(t, type, null, -1));
    } finally {
      pendingBlockTasks.decrementAndGet();
    }
    activeBlockTasks.incrementAndGet();
    CompletableFuture<Found> found;
    if (type == WantType.BLOCK) {
      found = blockstore.get(t.cid).thenApply(b -> new Found(t, type, b, b.size()));
    } else {
      found = blockstore.getSize(t.cid).thenCompose(size -> size <= s.maxBlockSizeReplaceHasWithBlock()
          ? blockstore.get(t.cid).thenApply(b -> new Found(t, type, b, size))
          : CompletableFuture.completedFuture(new Found(t, type, null, size)));
    }
    return found.orTimeout(s.blockstoreTimeoutMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(error -> new Found(t, type, null, -1))
        .whenComplete((f, error) -> {
          activeBlockTasks.decrementAndGet();
          permits.release();
        });
  }

  /** Sends the answers in messages of about the target size; bytes count against the peer until written. */
  private void send(PeerLedger ledger, List<BlockPayload> blocks, List<BlockPresence> presences, int target) {
    List<BlockPayload> batch = new ArrayList<>();
    long batchBytes = 0;
    for (BlockPayload b : blocks) {
      if (!batch.isEmpty() && batchBytes + b.data().length > target) {
        sendOne(ledger, batch, List.of());
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(b);
      batchBytes += b.data().length;
    }
    if (!batch.isEmpty() || !presences.isEmpty()) {
      sendOne(ledger, batch, presences);
    }
  }

  private void sendOne(PeerLedger ledger, List<BlockPayload> blocks, List<BlockPresence> presences) {
    BitswapMessage message = new BitswapMessage(List.of(), false, blocks, presences, 0);
    long size = BitswapCodec.encodedSize(message, BitswapProtocol.V1_2_0);
    long blockBytes = 0;
    for (BlockPayload b : blocks) {
      blockBytes += b.data().length;
    }
    long bytes = blockBytes;
    int count = blocks.size();
    long haves = presences.stream().filter(p -> p.type() == PresenceType.HAVE).count();
    ledger.reserve(size);
    outstandingBytes.addAndGet(size);
    long start = System.nanoTime();
    network.send(ledger.peer, message).whenComplete((ok, error) -> {
      ledger.sent(size, count, bytes, error == null);
      outstandingBytes.addAndGet(-size);
      if (error == null) {
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
}
