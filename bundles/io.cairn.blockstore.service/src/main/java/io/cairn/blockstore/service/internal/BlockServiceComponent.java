package io.cairn.blockstore.service.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockFetchTimeoutException;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.blockstore.exchange.BlockExchange;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The block service: a get asks the blockstore (which answers identity CIDs from the CID), and only on
 * "not found" the exchange, if one is bound. The exchange is an optional, dynamic, greedy reference: bitswap
 * can start, stop, restart or be replaced by a higher-ranked exchange while this service stays up.
 *
 * <p><b>A fetch outlives its exchange.</b> Each fetch in flight is kept with the exchange it was asked of.
 * When that exchange is unbound, the fetch is asked again of the exchange bound now, or, with none, waits
 * for the next one to bind; either way within its original deadline. The answer of an exchange a fetch has
 * left is ignored, and a cancellation that nobody here asked for (a stopping bitswap cancelling its wants,
 * perhaps before its unbind arrives) moves the fetch the same way: it fails nobody. Only a fetch that finds no
 * exchange at all when it starts fails at once ({@link BlockNotFoundException}): the node is offline.
 *
 * <p><b>Timeouts.</b> The exchange is given what is left of the fetch's time and fails its own future at
 * the end; a guard {@link #GRACE} later fails the get with {@link BlockFetchTimeoutException} in case an
 * exchange does not (or no exchange came back), so no get ever hangs.
 *
 * <p><b>Puts and waiting peers.</b> {@link #put} only stores. Peers that wait for a block learn of it
 * through {@link MultiTierBlockstore#observeStored}, which the bitswap engine observes: that catches every
 * writer of the store (block/put, add, dag/import, pins, bitswap receipts, writers that never heard of this
 * service), once the block is readable. Telling the exchange here as well (boxo's
 * {@code exchange.NotifyNewBlocks}) would tell it twice, and before the write lands, so a waiting want
 * re-queued at once could be looked up, miss, and be answered DONT_HAVE.
 */
@Component(service = BlockService.class)
public class BlockServiceComponent implements BlockService {
  /** How long after a fetch's deadline the guard fails it if its exchange has not. */
  static final Duration GRACE = Duration.ofSeconds(1);

  private final MultiTierBlockstore store;
  private final Logger log;
  private final Object exchangeLock = new Object();
  private volatile BlockExchange exchange;
  /** Fetches in flight (asked of an exchange, or waiting for one), so an exchange leaving can move them. */
  private final Set<Fetch> fetches = ConcurrentHashMap.newKeySet();
  private final Set<SessionImpl> sessions = ConcurrentHashMap.newKeySet();

  @Activate
  public BlockServiceComponent(@Reference MultiTierBlockstore store,
      @Reference(service = LoggerFactory.class) Logger log) {
    this.store = store;
    this.log = log;
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindExchange(BlockExchange next) {
    synchronized (exchangeLock) {
      exchange = next;
    }
    // Fetches whose exchange left with no successor have waited for this one.
    for (Fetch f : fetches) {
      f.resume();
    }
  }

  void unbindExchange(BlockExchange leaving) {
    synchronized (exchangeLock) {
      if (exchange == leaving) {
        exchange = null;
      }
    }
    int moved = 0;
    for (Fetch f : fetches) {
      moved += f.leave(leaving) ? 1 : 0;
    }
    for (SessionImpl s : sessions) {
      s.drop(leaving);
    }
    if (moved > 0) {
      log.info("the block exchange left with {} fetches in flight: they go on with {}", moved,
          exchange == null ? "the next exchange to start, within their timeouts" : "the exchange bound now");
    }
  }

  // ---- BlockService

  @Override
  public CompletableFuture<Block> get(Cid cid, Duration timeout) {
    return get(cid, timeout, null);
  }

  @Override
  public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
    return many(cids, cid -> get(cid, timeout, null));
  }

  @Override
  public Session newSession() {
    SessionImpl s = new SessionImpl();
    sessions.add(s);
    return s;
  }

  @Override
  public CompletableFuture<Boolean> has(Cid cid) {
    return store.has(cid);
  }

  @Override
  public CompletableFuture<Integer> getSize(Cid cid) {
    return store.getSize(cid);
  }

  @Override
  public CompletableFuture<Void> put(Block block) {
    return store.put(block);
  }

  @Override
  public CompletableFuture<Void> putMany(List<Block> blocks) {
    return store.putMany(blocks);
  }

  @Override
  public boolean online() {
    return exchange != null;
  }

  // ---- fetching

  private CompletableFuture<Block> get(Cid cid, Duration timeout, SessionImpl session) {
    CompletableFuture<Block> out = new CompletableFuture<>();
    store.get(cid).whenComplete((block, error) -> {
      Throwable e = unwrap(error);
      if (e == null) {
        out.complete(block);
      } else if (!(e instanceof BlockNotFoundException)) {
        out.completeExceptionally(e);
      } else if (!out.isDone()) {
        fetch(cid, timeout, session, out);
      }
    });
    return out;
  }

  private void fetch(Cid cid, Duration timeout, SessionImpl session, CompletableFuture<Block> out) {
    if (exchange == null) {
      out.completeExceptionally(new BlockNotFoundException(cid,
          "block " + cid + " is not in the local blockstore and no exchange (bitswap) runs to fetch it"));
      return;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      out.completeExceptionally(new BlockFetchTimeoutException(cid, timeout, null));
      return;
    }
    Fetch f = new Fetch(cid, timeout, session, out);
    fetches.add(f);
    CompletableFuture<Void> guard = new CompletableFuture<Void>()
        .orTimeout(timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
    guard.whenComplete((v, e) -> {
      if (e instanceof TimeoutException) {
        out.completeExceptionally(new BlockFetchTimeoutException(cid, timeout, null));
      }
    });
    out.whenComplete((b, e) -> {
      fetches.remove(f);
      guard.complete(null); // drops the guard's timer
      f.withdraw();
    });
    f.start();
  }

  private static <T> List<CompletableFuture<T>> many(List<Cid> cids,
      java.util.function.Function<Cid, CompletableFuture<T>> get) {
    Map<Cid, CompletableFuture<T>> byCid = new LinkedHashMap<>();
    List<CompletableFuture<T>> result = new ArrayList<>(cids.size());
    for (Cid cid : cids) {
      result.add(byCid.computeIfAbsent(cid, get));
    }
    return result;
  }

  /**
   * One block asked of an exchange. {@code on} and {@code pending} change under the fetch's lock; an
   * answer counts only if it comes from the future the fetch holds now.
   */
  private final class Fetch {
    final Cid cid;
    final Duration timeout;
    final long deadline;
    final SessionImpl session;
    final CompletableFuture<Block> out;
    private BlockExchange on;
    private CompletableFuture<Block> pending;

    Fetch(Cid cid, Duration timeout, SessionImpl session, CompletableFuture<Block> out) {
      this.cid = cid;
      this.timeout = timeout;
      this.deadline = System.nanoTime() + timeout.toNanos();
      this.session = session;
      this.out = out;
    }

    /** Asks the exchange bound now; with none, waits (parked) for {@link #resume}. */
    void start() {
      CompletableFuture<Block> asked;
      synchronized (this) {
        cancelPending();
        // Read under the lock: an unbind that clears the exchange after this read finds `on` set and moves it.
        BlockExchange x = exchange;
        on = x;
        if (x == null || out.isDone()) {
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          out.completeExceptionally(new BlockFetchTimeoutException(cid, timeout, null));
          return;
        }
        try {
          asked = session == null ? x.get(cid, Duration.ofNanos(left)) : session.on(x).get(cid, Duration.ofNanos(left));
        } catch (RuntimeException e) {
          out.completeExceptionally(e);
          return;
        }
        pending = asked;
      }
      asked.whenComplete((block, error) -> answered(asked, block, error));
    }

    private void answered(CompletableFuture<Block> asked, Block block, Throwable error) {
      BlockExchange from;
      synchronized (this) {
        if (pending != asked) {
          return; // the fetch left that exchange: its answer (often a cancellation) is not ours
        }
        pending = null;
        from = on;
      }
      if (error == null) {
        out.complete(block);
        return;
      }
      Throwable e = unwrap(error);
      if (e instanceof CancellationException && !out.isDone()) {
        // Nobody here cancelled it: the exchange is stopping (it may cancel before its unbind arrives). The
        // fetch goes on with the exchange bound now if that is another, else waits for the next to bind.
        synchronized (this) {
          on = null;
        }
        if (exchange != from) {
          start();
        }
        return;
      }
      out.completeExceptionally(e);
    }

    /** The exchange is leaving: a fetch asked of it is asked again (or parked). True if it was on it. */
    boolean leave(BlockExchange leaving) {
      synchronized (this) {
        if (on != leaving || out.isDone()) {
          return false;
        }
      }
      start();
      return true;
    }

    /** An exchange has bound: a parked fetch is asked of it. */
    void resume() {
      synchronized (this) {
        if (on != null || out.isDone()) {
          return;
        }
      }
      start();
    }

    /** The get is over (answered, failed, timed out or cancelled by its caller): withdraw the want. */
    synchronized void withdraw() {
      cancelPending();
      on = null;
    }

    private void cancelPending() {
      CompletableFuture<Block> p = pending;
      pending = null;
      if (p != null) {
        p.cancel(false);
      }
    }
  }

  /** A session: one exchange session per exchange it has used, so a swap does not mix peers' knowledge. */
  private final class SessionImpl implements Session {
    private final Map<BlockExchange, BlockExchange.Session> byExchange = new IdentityHashMap<>();
    private final Set<CompletableFuture<Block>> pending = ConcurrentHashMap.newKeySet();
    private boolean closed;

    synchronized BlockExchange.Session on(BlockExchange x) {
      if (closed) {
        throw new CancellationException("the block service session is closed");
      }
      return byExchange.computeIfAbsent(x, BlockExchange::newSession);
    }

    void drop(BlockExchange x) {
      BlockExchange.Session s;
      synchronized (this) {
        s = byExchange.remove(x);
      }
      if (s != null) {
        s.close();
      }
    }

    @Override
    public CompletableFuture<Block> get(Cid cid, Duration timeout) {
      CompletableFuture<Block> f = BlockServiceComponent.this.get(cid, timeout, this);
      pending.add(f);
      f.whenComplete((b, e) -> pending.remove(f));
      synchronized (this) {
        if (closed) {
          f.cancel(false);
        }
      }
      return f;
    }

    @Override
    public List<CompletableFuture<Block>> getMany(List<Cid> cids, Duration timeout) {
      return many(cids, cid -> get(cid, timeout));
    }

    /** The largest window of the exchange sessions it has used (the exchange fetching now, after a swap). */
    @Override
    public synchronized int window() {
      int window = 0;
      for (BlockExchange.Session s : byExchange.values()) {
        window = Math.max(window, s.window());
      }
      return window;
    }

    @Override
    public void close() {
      List<BlockExchange.Session> open;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        open = List.copyOf(byExchange.values());
        byExchange.clear();
      }
      sessions.remove(this);
      List.copyOf(pending).forEach(f -> f.cancel(false));
      open.forEach(BlockExchange.Session::close);
    }
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
