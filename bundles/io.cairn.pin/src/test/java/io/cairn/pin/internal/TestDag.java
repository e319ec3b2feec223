package io.cairn.pin.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.BlockNotFoundException;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.DagVisitor;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small sequential DagService for these tests: nodes are raw blocks whose text names their links
 * ({@link #node}), walks run depth-first on a thread of their own over the real blockstore, and a missing
 * block is "fetched" from {@link #remote} (as bitswap would: stored through the blockstore's put). A
 * {@link #gate} holds the fetch of one CID until the test opens it, so a walk can be paused at a known
 * point without timing.
 */
public final class TestDag implements DagService {
  private static final String PREFIX = "node ";

  final Map<Cid, Block> remote = new ConcurrentHashMap<>();
  private final Map<Cid, Gate> gates = new ConcurrentHashMap<>();
  private final MultiTierBlockstore blocks;

  /** A fetch held until {@link #open}; {@link #reached} completes when a walk waits at it. */
  public record Gate(CompletableFuture<Void> reached, CompletableFuture<Void> open) {
  }

  TestDag(MultiTierBlockstore blocks) {
    this.blocks = blocks;
  }

  /** A node labelled {@code label} (so nodes with the same links differ) linking to {@code links}. */
  public static Block node(String label, Cid... links) {
    StringBuilder text = new StringBuilder(PREFIX).append(label);
    for (Cid l : links) {
      text.append('\n').append(l);
    }
    return Block.raw(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  public Gate gate(Cid cid) {
    Gate g = new Gate(new CompletableFuture<>(), new CompletableFuture<>());
    gates.put(cid, g);
    return g;
  }

  @Override
  public boolean supports(long codec) {
    return true;
  }

  @Override
  public List<Cid> links(Block block) throws DagException {
    String text = new String(block.data(), StandardCharsets.UTF_8);
    if (!text.startsWith(PREFIX)) {
      return List.of();
    }
    String[] lines = text.split("\n");
    List<Cid> links = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      try {
        links.add(Cid.parse(lines[i]));
      } catch (IllegalArgumentException e) {
        throw new DagException(block.cid(), "bad link: " + e.getMessage());
      }
    }
    return links;
  }

  @Override
  public DagWalk walk(Collection<Cid> roots, WalkOptions options, DagVisitor visitor) {
    Walk w = new Walk(List.copyOf(roots), options, visitor);
    Thread t = new Thread(w::run, "test-dag-walk");
    t.setDaemon(true);
    t.start();
    return w;
  }

  private final class Walk implements DagWalk {
    private record Step(Cid cid, int depth) {
    }

    private final List<Cid> roots;
    private final WalkOptions options;
    private final DagVisitor visitor;
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private final AtomicLong visited = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean cancelled;

    Walk(List<Cid> roots, WalkOptions options, DagVisitor visitor) {
      this.roots = roots;
      this.options = options;
      this.visitor = visitor;
    }

    void run() {
      try {
        Set<Cid> seen = new HashSet<>();
        Deque<Step> stack = new ArrayDeque<>();
        for (Cid r : roots.reversed()) {
          stack.push(new Step(r, 0));
        }
        while (!stack.isEmpty()) {
          if (cancelled) {
            throw new CancellationException("walk cancelled");
          }
          Step s = stack.pop();
          if (!seen.add(s.cid())) {
            continue;
          }
          Block b = load(s.cid());
          visited.incrementAndGet();
          bytes.addAndGet(b.size());
          if (visitor.visit(b, s.depth()) && (options.maxDepth() == -1 || s.depth() < options.maxDepth())) {
            List<Cid> links = links(b);
            for (Cid l : links.reversed()) {
              stack.push(new Step(l, s.depth() + 1));
            }
          }
        }
        done.complete(new Result(visited.get(), bytes.get()));
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }

    private Block load(Cid cid) throws DagException {
      try {
        return blocks.get(cid).join();
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof BlockNotFoundException)) {
          throw new DagException(cid, "cannot read: " + e.getCause().getMessage(), e.getCause());
        }
      }
      if (!options.fetch()) {
        throw new DagException(cid, "block " + cid + " is not local");
      }
      Gate g = gates.remove(cid);
      if (g != null) {
        g.reached().complete(null);
        g.open().join();
      }
      if (cancelled) {
        throw new CancellationException("walk cancelled");
      }
      Block b = remote.get(cid);
      if (b == null) {
        throw new DagException(cid, "block " + cid + " could not be fetched");
      }
      blocks.put(b).join();
      return b;
    }

    @Override
    public CompletableFuture<Result> done() {
      return done;
    }

    @Override
    public long blocksVisited() {
      return visited.get();
    }

    @Override
    public long bytesVisited() {
      return bytes.get();
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }
}
