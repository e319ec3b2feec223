package io.cairn.bitswap.client.internal;

import io.cairn.bitswap.BitswapTimeoutException;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.PresenceType;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.PeerId;
import io.cairn.net.spi.RouteOptimizer;
import io.cairn.node.strategy.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.osgi.service.log.Logger;

/**
 * Every want of the client, on one thread (boxo's want manager and sessions, folded together). All
 * events — a new want, a HAVE or DONT_HAVE, a verified block, a peer coming or going, a tick — are
 * handled in order on the manager's thread, so its state needs no locks; the wants they produce
 * are gathered per peer and sent when the event queue runs dry, so a burst of gets costs one
 * message per peer.
 *
 * <p>A new want goes as want-block to a peer the session already got blocks from (or to the only
 * peer there is), and as want-have to every other peer; the first peer to answer HAVE is asked for
 * the block; DONT_HAVE, a silent peer past the response timeout, or a peer leaving moves the
 * want-block to the next peer that has it. When the block arrives, every peer asked gets a cancel.
 */
final class WantManager implements Runnable {
  /**
   * A block that passed its hash check, to be stored and handed out; told from the manager thread.
   * The future completes when the block is stored (at once for a block nobody wanted): the block is
   * handed to its waiters only then, so whoever gets it may count on it being in the blockstore.
   */
  interface Delivery {
    CompletableFuture<Void> deliver(PeerId from, Block block, boolean wanted);
  }

  private final BitswapNetwork network;
  private final Delivery delivery;
  private final PeerFeedback feedback;
  /** Which of the peers that have a block to ask, and when to move a want (the network layer's route optimizer). */
  private final Strategies<RouteOptimizer> routes;
  private final Logger log;
  private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final Map<Cid, WantState> wants = new HashMap<>();
  private final Map<PeerId, BitswapProtocol> peers = new LinkedHashMap<>();
  private final Map<PeerId, SendQueue> outgoing = new HashMap<>();
  private final LongSupplier clock;
  private final RandomGenerator random;
  private final AtomicLong resends = new AtomicLong();
  /** Want-blocks the route optimizer moved to a better peer. */
  private final AtomicLong moved = new AtomicLong();
  /** The window, rate and round trip of the session that last received a block: for the gauges. */
  private volatile WantWindow lastWindow;
  private volatile ClientSettings settings;
  private volatile boolean running = true;
  private volatile int wantCount;
  /** Boxo's want gauges, counted at each tick: wants whose block is asked of a peer, and wants broadcast as want-have. */
  private volatile int wantBlockCount;
  private volatile int broadcastCount;
  private int priority = Integer.MAX_VALUE;
  private long lastTick;

  /** Someone waiting for a block: a get's future, its session and its deadline. */
  record Waiter(Session session, CompletableFuture<Block> future, long deadline, Duration timeout) {}

  /** Peers a session got blocks from, most recent first: asked first for its next blocks. */
  static final class Session {
    /** Its connection manager tag ({@code bs-ses-<id>}), or null for the one-off session of a lone get. */
    final String tag;
    /** Peers tagged and protected for it; guarded by itself, as is {@link #closed} ({@link PeerFeedback}). */
    final Set<PeerId> tagged = new java.util.HashSet<>();
    boolean closed;
    final LinkedHashSet<PeerId> goodPeers = new LinkedHashSet<>();
    final Set<CompletableFuture<Block>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many gets the session should keep in flight, from its measured rate and round trip. */
    final WantWindow window;
    /** Blocks of this session that arrived and are being stored: their gets are still in flight. */
    final AtomicInteger storing = new AtomicInteger();

    Session(WantWindow window, String tag) {
      this.window = window;
      this.tag = tag;
    }
  }

  private final class WantState {
    final Cid cid;
    final int priority;
    final List<Waiter> waiters = new ArrayList<>(1);
    /** Peers sent any want for this CID (they get the cancel). */
    final Set<PeerId> asked = new LinkedHashSet<>();
    /** Peers that answered HAVE and have not been asked for the block yet. */
    final LinkedHashSet<PeerId> haves = new LinkedHashSet<>();
    final Set<PeerId> dontHaves = new LinkedHashSet<>();
    PeerId blockPeer;
    long blockDeadline;
    /** When the want-block was queued to {@link #blockPeer}: the start of its round trip. */
    long blockAskedAt;
    /** When the want is next sent to every peer if nobody has sent its block, and how often it has been. */
    long nextBroadcast;
    int resends;

    WantState(Cid cid, int priority) {
      this.cid = cid;
      this.priority = priority;
    }
  }

  WantManager(BitswapNetwork network, Delivery delivery, PeerFeedback feedback, Strategies<RouteOptimizer> routes,
      ClientSettings settings, Logger log) {
    this(network, delivery, feedback, routes, settings, log, System::nanoTime, RandomGenerator.getDefault());
  }

  WantManager(BitswapNetwork network, Delivery delivery, PeerFeedback feedback, Strategies<RouteOptimizer> routes,
      ClientSettings settings, Logger log, LongSupplier clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
    this.network = network;
    this.log = log;
    this.delivery = delivery;
    this.feedback = feedback;
    this.routes = routes;
    this.settings = settings;
  }

  void settings(ClientSettings next) {
    settings = next;
  }

  int wantCount() {
    return wantCount;
  }

  int wantBlockCount() {
    return wantBlockCount;
  }

  int broadcastCount() {
    return broadcastCount;
  }

  /** Wants sent again to every peer because nobody had sent their block (after their backoff). */
  long resends() {
    return resends.get();
  }

  /** The window of the session that last received a block, or null before any. */
  WantWindow lastWindow() {
    return lastWindow;
  }

  /** Runs an event on the manager thread. */
  void post(Runnable event) {
    events.add(event);
  }

  @Override
  public void run() {
    while (running) {
      try {
        Runnable event = events.poll(pollNanos(clock.getAsLong()), TimeUnit.NANOSECONDS);
        while (event != null) {
          event.run();
          event = events.poll();
        }
        long now = clock.getAsLong();
        if (now - lastTick >= TimeUnit.MILLISECONDS.toNanos(50)) {
          lastTick = now;
          tick(now);
        }
        flush(now);
        wantCount = wants.size();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // One bad event must not stop every fetch of the node.
        log.error("bitswap want manager event failed", e);
      }
    }
  }

  long moved() {
    return moved.get();
  }

  void stop() {
    running = false;
    post(() -> {
      for (WantState w : wants.values()) {
        w.waiters.forEach(x -> x.future.cancel(false));
      }
      wants.clear();
    });
  }

  // ---- events (manager thread)

  /** A get that the local blockstore could not answer. */
  void want(Cid cid, Waiter waiter) {
    WantState w = wants.get(cid);
    if (w == null) {
      if (wants.size() >= settings.maxWants()) {
        waiter.future.completeExceptionally(new io.cairn.blockstore.MemoryPressureException(
            "the client already wants " + wants.size() + " blocks (maxWants)"));
        return;
      }
      w = new WantState(cid, nextPriority());
      wants.put(cid, w);
      w.waiters.add(waiter);
      firstRequest(w, waiter.session);
    } else {
      w.waiters.add(waiter);
    }
  }

  private int nextPriority() {
    // Earlier gets rank higher, so a peer serves them roughly in the order asked.
    priority = priority == Integer.MIN_VALUE + 1 ? Integer.MAX_VALUE : priority - 1;
    return priority;
  }

  private void firstRequest(WantState w, Session session) {
    w.nextBroadcast = clock.getAsLong() + Backoff.delayNanos(settings, 0, random);
    PeerId blockPeer = best(session.goodPeers);
    if (blockPeer == null && peers.size() == 1) {
      blockPeer = peers.keySet().iterator().next();
    }
    if (blockPeer != null) {
      askForBlock(w, blockPeer);
    }
    for (Map.Entry<PeerId, BitswapProtocol> p : peers.entrySet()) {
      if (!p.getKey().equals(blockPeer)) {
        askHave(w, p.getKey(), p.getValue());
      }
    }
  }

  private void askForBlock(WantState w, PeerId peer) {
    w.blockPeer = peer;
    w.blockAskedAt = clock.getAsLong();
    w.blockDeadline = w.blockAskedAt + TimeUnit.MILLISECONDS.toNanos(settings.peerResponseTimeoutMillis());
    w.asked.add(peer);
    w.haves.remove(peer);
    BitswapProtocol protocol = peers.get(peer);
    boolean dontHave = protocol != null && protocol.supportsHave();
    queue(peer, WantlistEntry.wantBlock(w.cid, w.priority, dontHave));
  }

  private void askHave(WantState w, PeerId peer, BitswapProtocol protocol) {
    w.asked.add(peer);
    if (protocol.supportsHave()) {
      queue(peer, WantlistEntry.wantHave(w.cid, w.priority, true));
    } else {
      // A 1.0.0/1.1.0 peer knows only want-block (and never says DONT_HAVE).
      queue(peer, WantlistEntry.wantBlock(w.cid, w.priority, false));
    }
  }

  private void queue(PeerId peer, WantlistEntry entry) {
    outgoing.computeIfAbsent(peer, p -> new SendQueue()).add(entry);
  }

  void presence(PeerId peer, Cid cid, PresenceType type) {
    feedback.answered(peer);
    WantState w = wants.get(cid);
    if (w == null) {
      return;
    }
    if (type == PresenceType.HAVE) {
      w.dontHaves.remove(peer);
      if (w.blockPeer == null) {
        askForBlock(w, peer);
      } else if (!peer.equals(w.blockPeer)) {
        w.haves.add(peer);
      }
      for (Waiter x : w.waiters) {
        x.session.goodPeers.add(peer);
      }
    } else {
      w.dontHaves.add(peer);
      w.haves.remove(peer);
      if (peer.equals(w.blockPeer)) {
        nextBlockPeer(w);
      }
    }
  }

  private void nextBlockPeer(WantState w) {
    w.blockPeer = null;
    w.haves.removeIf(p -> !peers.containsKey(p));
    PeerId next = best(w.haves);
    if (next != null) {
      askForBlock(w, next);
    }
  }

  /** The connected peer of {@code known} the route optimizer ranks first, or null when none is connected. */
  private PeerId best(Collection<PeerId> known) {
    List<PeerId> candidates = new ArrayList<>(known.size());
    for (PeerId p : known) {
      if (peers.containsKey(p)) {
        candidates.add(p);
      }
    }
    if (candidates.size() < 2) {
      return candidates.isEmpty() ? null : candidates.get(0);
    }
    List<PeerId> ranked = routes.apply(r -> r.rank(candidates));
    return ranked.isEmpty() || !peers.containsKey(ranked.get(0)) ? candidates.get(0) : ranked.get(0);
  }

  /**
   * The route optimizer's say on a want-block in flight: when it names a better peer that has the block,
   * the want moves there (cancelled at the peer it waited on, which stays a candidate).
   */
  private void reroute(WantState w, long now) {
    w.haves.removeIf(p -> !peers.containsKey(p));
    if (w.haves.isEmpty()) {
      return;
    }
    PeerId current = w.blockPeer;
    List<PeerId> alternatives = List.copyOf(w.haves);
    Optional<PeerId> better = routes.apply(r -> r.moveFrom(current, now - w.blockAskedAt, alternatives));
    if (better.isPresent() && w.haves.contains(better.get())) {
      queue(current, WantlistEntry.cancel(w.cid));
      askForBlock(w, better.get());
      w.haves.add(current);
      moved.incrementAndGet();
    }
  }

  /** Why the peers a timed-out want waited on were passed over, if the route optimizer bypassed them. */
  private Optional<Throwable> whyNotServed(WantState w) {
    List<PeerId> waitedOn = new ArrayList<>(w.haves);
    if (w.blockPeer != null) {
      waitedOn.add(0, w.blockPeer);
    }
    for (PeerId p : waitedOn) {
      Optional<? extends Throwable> why = routes.apply(r -> r.assess(p));
      if (why.isPresent()) {
        return Optional.of(why.get());
      }
    }
    return Optional.empty();
  }

  /** A block that hashed to its CID arrived from {@code peer}. */
  void arrived(PeerId peer, Block block) {
    WantState w = wants.remove(block.cid());
    if (w == null) {
      delivery.deliver(peer, block, false);
      return;
    }
    CompletableFuture<Void> stored = delivery.deliver(peer, block, true);
    feedback.answered(peer);
    long now = clock.getAsLong();
    Set<Session> measured = new java.util.HashSet<>(2);
    for (Waiter x : w.waiters) {
      Session s = x.session;
      if (measured.add(s)) {
        if (peer.equals(w.blockPeer)) {
          s.window.rtt(now - w.blockAskedAt, now);
        }
        s.window.delivered(block.size(), now);
        lastWindow = s.window;
        s.storing.incrementAndGet();
        stored.whenComplete((ok, error) -> s.storing.decrementAndGet());
        feedback.delivered(s, peer);
      }
      // The peer that delivered goes first for the session's next want.
      s.goodPeers.remove(peer);
      LinkedHashSet<PeerId> reordered = new LinkedHashSet<>();
      reordered.add(peer);
      reordered.addAll(s.goodPeers);
      s.goodPeers.clear();
      s.goodPeers.addAll(reordered);
      s.pending.remove(x.future);
      stored.whenComplete((ok, error) -> {
        if (error == null) {
          x.future.complete(block);
        } else {
          x.future.completeExceptionally(error);
        }
      });
    }
    for (PeerId p : w.asked) {
      if (peers.containsKey(p)) {
        queue(p, WantlistEntry.cancel(w.cid));
      }
    }
  }

  /** A waiter went away (cancelled, or its caller gave up): the want goes when nobody waits. */
  void waiterGone(Cid cid, CompletableFuture<Block> future) {
    WantState w = wants.get(cid);
    if (w == null) {
      return;
    }
    w.waiters.removeIf(x -> x.future == future);
    if (w.waiters.isEmpty()) {
      cancel(w);
    }
  }

  private void cancel(WantState w) {
    wants.remove(w.cid);
    for (PeerId p : w.asked) {
      if (peers.containsKey(p)) {
        queue(p, WantlistEntry.cancel(w.cid));
      }
    }
  }

  void peerConnected(PeerId peer, BitswapProtocol protocol) {
    if (peers.put(peer, protocol) != null) {
      return;
    }
    // A newcomer may have what nobody else had: it hears every open want.
    for (WantState w : wants.values()) {
      if (w.blockPeer == null && peers.size() == 1) {
        askForBlock(w, peer);
      } else {
        askHave(w, peer, protocol);
      }
    }
  }

  void peerDisconnected(PeerId peer) {
    if (peers.remove(peer) == null) {
      return;
    }
    outgoing.remove(peer);
    for (WantState w : wants.values()) {
      w.asked.remove(peer);
      w.haves.remove(peer);
      w.dontHaves.remove(peer);
      if (peer.equals(w.blockPeer)) {
        nextBlockPeer(w);
      }
    }
  }

  void tick(long now) {
    List<WantState> expired = new ArrayList<>();
    int blocks = 0;
    int broadcast = 0;
    for (WantState w : wants.values()) {
      w.waiters.removeIf(x -> {
        if (now - x.deadline >= 0) {
          x.session.pending.remove(x.future);
          Optional<Throwable> why = whyNotServed(w);
          x.future.completeExceptionally(why.isPresent() ? new BitswapTimeoutException(w.cid, x.timeout, why.get())
              : new BitswapTimeoutException(w.cid, x.timeout));
          return true;
        }
        return x.future.isDone();
      });
      if (w.waiters.isEmpty()) {
        expired.add(w);
        continue;
      }
      if (w.blockPeer != null && now - w.blockDeadline >= 0) {
        // Silent past the response timeout: counts as DONT_HAVE from that peer, and against its quality.
        feedback.timedOut(w.blockPeer);
        w.dontHaves.add(w.blockPeer);
        nextBlockPeer(w);
      } else if (w.blockPeer != null) {
        reroute(w, now);
      }
      if (w.blockPeer == null && now - w.nextBroadcast >= 0) {
        w.resends++;
        resends.incrementAndGet();
        w.nextBroadcast = now + Backoff.delayNanos(settings, w.resends, random);
        w.dontHaves.clear();
        if (peers.size() == 1) {
          askForBlock(w, peers.keySet().iterator().next());
        } else {
          peers.forEach((p, protocol) -> askHave(w, p, protocol));
        }
      }
      if (w.blockPeer != null) {
        blocks++;
      } else {
        broadcast++;
      }
    }
    wantBlockCount = blocks;
    broadcastCount = broadcast;
    expired.forEach(this::cancel);
  }

  /** Sends what is due to each peer (see {@link SendQueue}); the rest waits for its peer's send delay. */
  void flush(long now) {
    if (outgoing.isEmpty()) {
      return;
    }
    ClientSettings s = settings;
    int max = s.maxEntriesPerMessage();
    long delay = s.sendDelayNanos(peers.size());
    Iterator<Map.Entry<PeerId, SendQueue>> it = outgoing.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerId, SendQueue> e = it.next();
      SendQueue queue = e.getValue();
      if (!queue.due(now, s.sendBatchEntries())) {
        if (queue.isEmpty() && now - queue.dueAt(now) >= 0) {
          it.remove(); // idle past its quiet time: the next entry goes at once anyway
        }
        continue;
      }
      List<WantlistEntry> entries = queue.take(now, delay);
      for (int from = 0; from < entries.size(); from += max) {
        List<WantlistEntry> part = entries.subList(from, Math.min(entries.size(), from + max));
        network.send(e.getKey(), new BitswapMessage(List.copyOf(part), false, List.of(), List.of(), 0));
      }
    }
  }

  /** How long the loop may wait for an event: until the next tick or the next peer's batch falls due. */
  private long pollNanos(long now) {
    long wait = TimeUnit.MILLISECONDS.toNanos(50);
    for (SendQueue q : outgoing.values()) {
      if (!q.isEmpty()) {
        wait = Math.min(wait, Math.max(0, q.dueAt(now) - now));
      }
    }
    return Math.max(wait, 100_000L);
  }

  /** The CIDs wanted now (read on the caller's thread: a snapshot taken on the manager thread). */
  CompletableFuture<Set<Cid>> wantlist() {
    CompletableFuture<Set<Cid>> result = new CompletableFuture<>();
    post(() -> result.complete(Set.copyOf(wants.keySet())));
    return result;
  }
}
