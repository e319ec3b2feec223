package io.cairn.gateway.internal;

import io.cairn.blockstore.Block;
import io.cairn.car.CarWriter;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.multiformats.Cid;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One CAR body being written, step by step on the connection's event loop, holding no thread while it waits:
 * for a block (read from the blockstore or fetched from peers, a few {@code prefetchBlocks} ahead of the one
 * written), or for a slow client to take what was sent (the next step waits until the connection is writable
 * again, so a slow reader holds neither a thread nor more than a few blocks of memory). Only UnixFS entities
 * are written from elsewhere: from a UnixFS thread, through {@link #sendFromUnixFs}, which waits there.
 *
 * <p>The DAG is walked depth-first in link order (pre-order), the gateway's {@code order=dfs}: with
 * {@code dups=n} a block met again is skipped with its subtree; with {@code dups=y} every occurrence is
 * written, within {@link #MAX_DUPS_SECTIONS}.
 */
final class CarStream {
  /** car-dups=y repeats whole subtrees: a DAG of shared links is bounded by this many sections, not by its paths. */
  static final long MAX_DUPS_SECTIONS = 1_000_000;
  /** How deep the stream's depth-first walk goes. */
  static final int MAX_DEPTH = 4096;
  static final String BLOCK_TIMEOUT = "blockTimeoutMillis";

  private final CarWriter car;
  private final HttpExchange.ChunkedBody body;
  private final HttpExchange ex;
  private final EventLoop loop;
  private final BlockSource blocks;
  private final DagService dag;
  private final GatewaySettings settings;
  private final boolean dups;
  /** Blocks written (dups=n): each goes in once. */
  private final Set<Cid> sent = new HashSet<>();
  private long sections;

  /** A block still to write, and its depth below the DAG's root. */
  private record Frame(Cid cid, int depth) {
  }

  CarStream(CarWriter car, HttpExchange.ChunkedBody body, HttpExchange ex, BlockSource blocks, DagService dag,
      GatewaySettings settings, boolean dups) {
    this.car = car;
    this.body = body;
    this.ex = ex;
    this.loop = ex.eventLoop();
    this.blocks = blocks;
    this.dag = dag;
    this.settings = settings;
    this.dups = dups;
  }

  /** Writes a block already had; completes (on the event loop) when the connection can take more. */
  CompletableFuture<Void> send(Block b) {
    try {
      write(b);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return room();
  }

  /** Writes a block once it is read or fetched. */
  CompletableFuture<Void> sendFetched(Cid cid) {
    return fetch(cid).thenComposeAsync(this::send, loop);
  }

  /** Writes a block of a UnixFS entity, on the UnixFS thread, and waits there for the client to take it. */
  void sendFromUnixFs(Block b) throws IOException {
    write(b);
    body.awaitWritable(settings.idleTimeout());
  }

  /** Writes {@code root} and the DAG below it, depth-first. */
  CompletableFuture<Void> sendDag(Block root) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Walk walk = new Walk(done);
    try {
      walk.visit(root, 0);
    } catch (IOException | DagException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    walk.step();
    return done;
  }

  /** Ends the CAR: what is buffered goes out, then the last chunk; completes when written. */
  CompletableFuture<Void> end() {
    try {
      car.close();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ex.sent(body.end());
  }

  private void write(Block b) throws IOException {
    if (dups) {
      if (++sections > MAX_DUPS_SECTIONS) {
        throw new IOException("car-dups=y stream over " + MAX_DUPS_SECTIONS + " sections");
      }
      car.write(b);
    } else if (sent.add(b.cid())) {
      car.write(b);
    }
  }

  private CompletableFuture<Block> fetch(Cid cid) {
    return ex.whileOpen(blocks.get(cid, settings.blockTimeout(), BLOCK_TIMEOUT));
  }

  private CompletableFuture<Void> room() {
    return body.whenWritable();
  }

  /** The depth-first walk of one {@link #sendDag}: its state is touched on the event loop only. */
  private final class Walk {
    private final CompletableFuture<Void> done;
    /** The blocks still to write, the next on top. */
    private final Deque<Frame> stack = new ArrayDeque<>();
    /** Blocks asked for ahead of the cursor, by CID. */
    private final Map<Cid, CompletableFuture<Block>> ahead = new HashMap<>();

    Walk(CompletableFuture<Void> done) {
      this.done = done;
    }

    /** Writes a block and pushes its links, the first on top. */
    void visit(Block b, int depth) throws IOException, DagException {
      write(b);
      List<Cid> links = dag.links(b);
      if (!links.isEmpty() && depth + 1 > MAX_DEPTH) {
        throw new IOException("block " + b.cid() + " links deeper than " + MAX_DEPTH + " levels");
      }
      for (int i = links.size() - 1; i >= 0; i--) {
        stack.push(new Frame(links.get(i), depth + 1));
      }
    }

    /** Writes blocks while they are here and the client takes them; else resumes when that changes. */
    void step() {
      try {
        while (true) {
          if (done.isDone()) {
            return;
          }
          CompletableFuture<Void> room = room();
          if (!room.isDone() || room.isCompletedExceptionally()) {
            room.whenCompleteAsync((v, e) -> {
              if (e != null) {
                fail(e);
              } else {
                step();
              }
            }, loop);
            return;
          }
          Frame f = next();
          if (f == null) {
            done.complete(null);
            return;
          }
          CompletableFuture<Block> b = ahead.remove(f.cid());
          if (b == null) {
            b = fetch(f.cid());
          }
          prefetch();
          if (b.isDone() && !b.isCompletedExceptionally()) {
            visit(b.join(), f.depth());
            continue;
          }
          // What is written so far reaches the client while this block is awaited.
          car.flush();
          b.whenCompleteAsync((block, e) -> {
            if (e != null) {
              fail(e);
              return;
            }
            try {
              visit(block, f.depth());
            } catch (IOException | DagException | RuntimeException x) {
              fail(x);
              return;
            }
            step();
          }, loop);
          return;
        }
      } catch (IOException | DagException | RuntimeException e) {
        fail(e);
      }
    }

    /** The next block to write; with dups=n, blocks written already are passed over with their subtrees. */
    private Frame next() {
      while (!stack.isEmpty()) {
        Frame f = stack.pop();
        if (dups || !sent.contains(f.cid())) {
          return f;
        }
      }
      return null;
    }

    /**
     * Asks for the blocks the walk reaches next (the top of the stack), holding at most twice
     * {@code prefetchBlocks} asked for or arrived.
     */
    private void prefetch() {
      int window = settings.prefetchBlocks();
      int looked = 0;
      for (Iterator<Frame> it = stack.iterator(); it.hasNext() && looked < window && ahead.size() < 2 * window; looked++) {
        Cid cid = it.next().cid();
        if (!ahead.containsKey(cid) && (dups || !sent.contains(cid))) {
          ahead.put(cid, fetch(cid));
        }
      }
    }

    private void fail(Throwable e) {
      for (CompletableFuture<Block> f : ahead.values()) {
        f.cancel(false);
      }
      ahead.clear();
      done.completeExceptionally(e);
    }
  }
}
