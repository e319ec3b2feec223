package io.cairn.car.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.Blockstore;
import io.cairn.dag.DagException;
import io.cairn.dag.DagService;
import io.cairn.dag.DagVisitor;
import io.cairn.dag.DagWalk;
import io.cairn.dag.WalkOptions;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.Varint;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the DAG walker (io.cairn.dag's implementation, built in parallel): raw and dag-pb links,
 * a depth-first pre-order walk on a thread of its own, each CID visited once per walk. A block missing
 * locally is "fetched" from {@link #network} (another real store, standing for peers) when the walk may
 * fetch, and stored locally; else the walk fails with a DagException naming it. Replace it with the real
 * DagService once that is on main.
 */
public final class StandInDag implements DagService {
  private final Blockstore local;
  /** Where missing blocks come from when a walk fetches; null: nowhere. */
  public volatile Blockstore network;
  /** Walks started, to see that a request did or did not try the network. */
  public final AtomicLong fetches = new AtomicLong();

  public StandInDag(Blockstore local) {
    this.local = local;
  }

  @Override
  public boolean supports(long codec) {
    return codec == Multicodec.RAW.code() || codec == Multicodec.DAG_PB.code();
  }

  @Override
  public List<Cid> links(Block block) throws DagException {
    long codec = block.cid().codec();
    if (codec == Multicodec.RAW.code()) {
      return List.of();
    }
    if (codec != Multicodec.DAG_PB.code()) {
      throw new DagException(block.cid(), "unsupported codec " + codec);
    }
    List<Cid> links = new ArrayList<>();
    byte[] b = block.data();
    int i = 0;
    try {
      while (i < b.length) {
        int tag = b[i++];
        int len = (int) Varint.decodeValue(b, i, b.length);
        i += Varint.encodedLength(len);
        if (tag == 0x12) {
          int end = i + len;
          while (i < end) {
            int ltag = b[i++];
            if (ltag == 0x18) {
              i += Varint.encodedLength(Varint.decodeValue(b, i, end));
              continue;
            }
            int l = (int) Varint.decodeValue(b, i, end);
            i += Varint.encodedLength(l);
            if (ltag == 0x0a) {
              links.add(Cid.fromBytes(java.util.Arrays.copyOfRange(b, i, i + l)));
            }
            i += l;
          }
        } else {
          i += len;
        }
      }
    } catch (RuntimeException e) {
      throw new DagException(block.cid(), "malformed dag-pb: " + e.getMessage(), e);
    }
    return links;
  }

  @Override
  public DagWalk walk(Collection<Cid> roots, WalkOptions options, DagVisitor visitor) {
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicLong blocks = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    CompletableFuture<DagWalk.Result> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        Set<Cid> seen = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        List<Cid> rs = new ArrayList<>(roots);
        for (int i = rs.size() - 1; i >= 0; i--) {
          stack.push(new Object[] {rs.get(i), 0});
        }
        while (!stack.isEmpty()) {
          if (cancelled.get()) {
            throw new java.util.concurrent.CancellationException("walk cancelled");
          }
          Object[] top = stack.pop();
          Cid cid = (Cid) top[0];
          int depth = (Integer) top[1];
          if (!seen.add(cid)) {
            continue;
          }
          Block block = get(cid, options.fetch());
          blocks.incrementAndGet();
          bytes.addAndGet(block.size());
          if (!visitor.visit(block, depth) || options.maxDepth() >= 0 && depth >= options.maxDepth()) {
            continue;
          }
          List<Cid> links = links(block);
          for (int i = links.size() - 1; i >= 0; i--) {
            stack.push(new Object[] {links.get(i), depth + 1});
          }
        }
        done.complete(new DagWalk.Result(blocks.get(), bytes.get()));
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }, "stand-in-dag-walk");
    t.setDaemon(true);
    t.start();
    return new DagWalk() {
      @Override
      public CompletableFuture<Result> done() {
        return done;
      }

      @Override
      public long blocksVisited() {
        return blocks.get();
      }

      @Override
      public long bytesVisited() {
        return bytes.get();
      }

      @Override
      public void cancel() {
        cancelled.set(true);
      }
    };
  }

  private Block get(Cid cid, boolean fetch) throws DagException, InterruptedException {
    try {
      if (cid.multihash().code() == Multicodec.IDENTITY.code()) {
        return new Block(cid, cid.multihash().digest());
      }
      if (local.has(cid).get()) {
        return local.get(cid).get();
      }
      Blockstore peers = network;
      if (fetch && peers != null) {
        fetches.incrementAndGet();
        if (peers.has(cid).get()) {
          Block b = peers.get(cid).get();
          local.put(b).get();
          return b;
        }
      }
    } catch (ExecutionException e) {
      throw new DagException(cid, "reading " + cid + " failed: " + e.getCause().getMessage(), e.getCause());
    }
    throw new DagException(cid, "block " + cid + " could not be had" + (fetch ? " from peers" : " locally"));
  }

  /** A dag-pb node linking to {@code links} with {@code data}, encoded as dag-pb does (links, then data). */
  public static Block pbNode(byte[] data, List<Cid> links) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Cid link : links) {
      ByteArrayOutputStream l = new ByteArrayOutputStream();
      byte[] c = link.toBytes();
      l.write(0x0a);
      l.writeBytes(Varint.encode(c.length));
      l.writeBytes(c);
      l.write(0x12);
      l.write(0);
      out.write(0x12);
      out.writeBytes(Varint.encode(l.size()));
      out.writeBytes(l.toByteArray());
    }
    if (data != null) {
      out.write(0x0a);
      out.writeBytes(Varint.encode(data.length));
      out.writeBytes(data);
    }
    byte[] bytes = out.toByteArray();
    return new Block(Cid.v1(Multicodec.DAG_PB, Multihash.digest(Multicodec.SHA2_256, bytes)), bytes);
  }
}
