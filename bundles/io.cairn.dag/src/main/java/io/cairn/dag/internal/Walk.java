package io.cairn.dag.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.BlockService;
import io.cairn.blockstore.Blockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagVisitor;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One walk. Iterative: the path from the roots is a stack of frames, each a block's links and a cursor.
 * Reads and fetches run in parallel, at most {@code concurrency} at a time; everything else — taking what
 * arrived, visiting, reading links, deciding what to ask for next — runs in one drain at a time on the
 * service's executor, so visitor calls never overlap and the walk's state needs no locks.
 *
 * <p>{@link WalkOptions.Order#DFS}: the visit cursor is the top frame's next link, so visits come in
 * depth-first pre-order; blocks further along the frames (the next links of this and enclosing frames) are
 * requested ahead and held until the cursor reaches them, within a budget of twice the concurrency in flight
 * or held; the block at the cursor is always requested. {@link WalkOptions.Order#ANY}: links are requested
 * in the same order and each block is visited as it arrives.
 *
 * <p>Identity CIDs carry their block: the blockstore answers them from the CID, so they are read like any
 * other block and never fetched.
 */
final class Walk implements DagWalk {
  private final WalkOptions options;
  private final DagSettings settings;
  private final DagVisitor visitor;
  private final Blockstore blockstore;
  private final BlockService blocks;
  private final Executor executor;
  private final CompletableFuture<Result> done = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<Slot> arrived = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile long blocksVisited;
  private volatile long bytesVisited;
  private volatile BlockService.Session session;
  private boolean closed;

  // Drain state: touched by one drain at a time.
  private final List<Frame> frames = new ArrayList<>();
  /** Blocks asked for and not yet visited, by CID: in flight, or (DFS) arrived and held for the cursor. */
  private final Map<Cid, Slot> requested = new HashMap<>();
  private final VisitedSet visited = new VisitedSet();
  private int inFlight;
  private int held;
  /** Reads and fetches allowed in flight, taken at each step: see {@link #limit()}. */
  private int concurrency;

  /** A block's links and how far the walk has gone along them. */
  private static final class Frame {
    final List<Cid> links;
    /** The depth of the linked blocks. */
    final int depth;
    /** The next link to visit (DFS) or to request (ANY). */
    int next;
    /** DFS: links before this one have been considered for prefetching. */
    int scanned;

    Frame(List<Cid> links, int depth) {
      this.links = links;
      this.depth = depth;
    }
  }

  /** A block asked for; block and error are written before the slot is queued in {@link #arrived}. */
  private static final class Slot {
    final Cid cid;
    final int depth;
    Block block;
    Throwable error;
    boolean ready;

    Slot(Cid cid, int depth) {
      this.cid = cid;
      this.depth = depth;
    }
  }

  Walk(List<Cid> roots, WalkOptions options, DagSettings settings, DagVisitor visitor, Blockstore blockstore,
      BlockService blocks, Executor executor) {
    this.options = options;
    this.settings = settings;
    this.visitor = visitor;
    this.blockstore = blockstore;
    this.blocks = blocks;
    this.executor = executor;
    frames.add(new Frame(roots, 0));
    // However the walk ends (done, failed, cancelled here or through done()), what it still wants is withdrawn.
    done.whenComplete((result, failure) -> closeSession());
  }

  void start() {
    signal();
  }

  @Override
  public CompletableFuture<Result> done() {
    return done;
  }

  @Override
  public long blocksVisited() {
    return blocksVisited;
  }

  @Override
  public long bytesVisited() {
    return bytesVisited;
  }

  @Override
  public void cancel() {
    done.cancel(false);
  }

  private void signal() {
    if (wip.getAndIncrement() == 0) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        done.completeExceptionally(new DagException(null, "the DAG service stopped during the walk", e));
      }
    }
  }

  private void drain() {
    int missed = 1;
    do {
      if (!done.isDone()) {
        try {
          step();
        } catch (DagException | RuntimeException e) {
          done.completeExceptionally(e);
        }
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void step() throws DagException {
    concurrency = limit();
    for (Slot slot; (slot = arrived.poll()) != null; ) {
      inFlight--;
      if (slot.error != null) {
        throw failure(slot.cid, slot.error);
      }
      slot.ready = true;
      if (options.order() == WalkOptions.Order.ANY) {
        requested.remove(slot.cid);
        visit(slot.cid, slot.depth, slot.block);
      } else {
        held++;
      }
    }
    if (options.order() == WalkOptions.Order.DFS) {
      advanceInOrder();
      prefetch();
    } else {
      advanceAsArriving();
    }
    if (frames.isEmpty() && inFlight == 0 && arrived.isEmpty()) {
      done.complete(new Result(blocksVisited, bytesVisited));
    }
  }

  /** DFS: visits from the cursor while its blocks are here; asks for the cursor's block when it is not. */
  private void advanceInOrder() throws DagException {
    while (!frames.isEmpty()) {
      Frame top = frames.get(frames.size() - 1);
      if (top.next == top.links.size()) {
        frames.remove(frames.size() - 1);
        continue;
      }
      Cid cid = top.links.get(top.next);
      if (visited.contains(cid)) {
        top.next++;
        continue;
      }
      Slot slot = requested.get(cid);
      if (slot == null) {
        if (inFlight < concurrency) {
          request(cid, top.depth);
        }
        return;
      }
      if (!slot.ready) {
        return;
      }
      top.next++;
      requested.remove(cid);
      held--;
      visit(cid, top.depth, slot.block);
    }
  }

  /** DFS: asks for the blocks the cursor will reach next, top frame first, within the budget. */
  private void prefetch() {
    for (int f = frames.size() - 1; f >= 0 && mayPrefetch(); f--) {
      Frame frame = frames.get(f);
      int i = Math.max(frame.next, frame.scanned);
      while (i < frame.links.size() && mayPrefetch()) {
        Cid cid = frame.links.get(i++);
        if (!requested.containsKey(cid) && !visited.contains(cid)) {
          request(cid, frame.depth);
        }
      }
      frame.scanned = i;
    }
  }

  private boolean mayPrefetch() {
    return inFlight < concurrency && inFlight + held < 2 * concurrency;
  }

  /** ANY: asks for the next links, top frame first, while there is room in flight. */
  private void advanceAsArriving() throws DagException {
    while (inFlight < concurrency && !frames.isEmpty()) {
      Frame top = frames.get(frames.size() - 1);
      if (top.next == top.links.size()) {
        frames.remove(frames.size() - 1);
        continue;
      }
      Cid cid = top.links.get(top.next++);
      if (visited.contains(cid) || requested.containsKey(cid)) {
        continue;
      }
      request(cid, top.depth);
    }
  }

  /**
   * The walk's {@code concurrency} key, or more when the walk fetches and its session's window says the path
   * needs more in flight (the bitswap client sizes it from the measured delivery rate and round trip).
   */
  private int limit() {
    int floor = settings.concurrency();
    BlockService.Session s = session;
    return s == null ? floor : Math.max(floor, s.window());
  }

  private void visit(Cid cid, int depth, Block block) throws DagException {
    if (done.isDone()) {
      // Cancelled or failed while this drain ran: no visit after the end.
      throw new CancellationException("the walk has ended");
    }
    visited.add(cid);
    blocksVisited = blocksVisited + 1;
    bytesVisited = bytesVisited + block.size();
    if (!visitor.visit(block, depth) || (options.maxDepth() >= 0 && depth >= options.maxDepth())) {
      return;
    }
    List<Cid> links = LinkReader.links(cid, block.data(), settings.maxLinksPerNode());
    if (links.isEmpty()) {
      return;
    }
    if (depth >= settings.maxDepth()) {
      throw new DagException(cid, "block " + cid + " at depth " + depth + " links deeper than the configured maxDepth "
          + settings.maxDepth() + " (" + DagServiceComponent.PID + ")");
    }
    frames.add(new Frame(links, depth + 1));
  }

  private void request(Cid cid, int depth) {
    Slot slot = new Slot(cid, depth);
    requested.put(cid, slot);
    inFlight++;
    read(cid).whenComplete((block, error) -> {
      slot.block = block;
      slot.error = error;
      arrived.add(slot);
      signal();
    });
  }

  /**
   * The block from the blockstore, or (when the walk fetches) from the block service through the walk's
   * session, so the walk's fetches share what is learnt about peers.
   */
  private CompletableFuture<Block> read(Cid cid) {
    if (!options.fetch()) {
      return blockstore.get(cid);
    }
    return session().get(cid, options.blockTimeout());
  }

  private synchronized BlockService.Session session() {
    if (closed) {
      throw new CancellationException("the walk has ended");
    }
    if (session == null) {
      session = blocks.newSession();
    }
    return session;
  }

  private synchronized void closeSession() {
    closed = true;
    if (session != null) {
      session.close();
    }
  }

  private DagException failure(Cid cid, Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof DagException d) {
      return d;
    }
    if (e instanceof BlockNotFoundException) {
      if (options.fetch()) {
        // The block service is offline: no exchange runs. The walk's own finding, so no cause (the gateway
        // answers it 404, not 502).
        return new DagException(cid, "block " + cid
            + " is not in the local blockstore and bitswap is not running to fetch it");
      }
      return new DagException(cid, "block " + cid + " is not in the local blockstore (this walk does not fetch)", e);
    }
    return new DagException(cid, "block " + cid + " could not be had: " + e.getMessage(), e);
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
