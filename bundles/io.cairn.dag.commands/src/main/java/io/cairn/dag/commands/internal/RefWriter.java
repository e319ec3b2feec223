package io.cairn.dag.commands.internal;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagException;
import io.cairn.dag.DagPb;
import io.cairn.dag.DagService;
import io.cairn.dag.DagVisitor;
import io.cairn.dag.PbLink;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the edges of one depth-first walk in Kubo's refs order. A visit at depth d ends the frames of the
 * blocks at depth d and below (their links not visited were met before, so the walk skipped them) and is
 * the next link of the block at depth d - 1: the links before it there were skipped too. Each visited
 * block's edge is written as it is visited. A skipped link was met before: unique listings leave it out;
 * others list it again with what lies below it, as Kubo walks a repeated subtree again, from the links of
 * the blocks visited so far (kept for that, non-unique listings only). The walk calls one visit at a time,
 * so no locking.
 *
 * <p>Kubo's unique listing with a max depth explores a block again when it meets it higher up than before,
 * listing refs the first meeting was too deep for; the walk visits a block once, so those are left out.
 */
final class RefWriter implements DagVisitor {
  private static final long DAG_PB = Multicodec.DAG_PB.code();

  private final DagService dag;
  private final int maxDepth;
  private final boolean unique;
  private final String format;
  private final Set<Cid> printed;
  private final RpcResponse.JsonLines lines;
  private final List<Frame> frames = new ArrayList<>();
  /** Non-unique listings: the links of every block visited, to list a repeated subtree again. */
  private final Map<Cid, List<Link>> linksOf = new HashMap<>();

  private record Link(Cid cid, String name) {
  }

  /** A block whose links are being listed, and the next of them not yet written. */
  private static final class Frame {
    final Cid cid;
    final List<Link> links;
    /** The depth of the linked blocks. */
    final int depth;
    int next;

    Frame(Cid cid, List<Link> links, int depth) {
      this.cid = cid;
      this.links = links;
      this.depth = depth;
    }
  }

  RefWriter(DagService dag, int maxDepth, boolean unique, String format, Set<Cid> printed,
      RpcResponse.JsonLines lines) {
    this.dag = dag;
    this.maxDepth = maxDepth;
    this.unique = unique;
    this.format = format;
    this.printed = printed;
    this.lines = lines;
  }

  @Override
  public boolean visit(Block block, int depth) throws DagException {
    while (frames.size() > depth) {
      finish(frames.remove(frames.size() - 1));
    }
    if (depth > 0) {
      Frame parent = frames.get(depth - 1);
      while (parent.next < parent.links.size() && !parent.links.get(parent.next).cid().equals(block.cid())) {
        repeat(parent, parent.links.get(parent.next++));
      }
      if (parent.next == parent.links.size()) {
        throw new IllegalStateException("the walk visited " + block.cid() + " at depth " + depth
            + ", which is no link of " + parent.cid + " left to list");
      }
      write(parent, parent.links.get(parent.next++));
    }
    boolean below = maxDepth < 0 || depth < maxDepth;
    if (below || !unique) {
      List<Link> links = links(block);
      if (!unique && !links.isEmpty()) {
        linksOf.put(block.cid(), links);
      }
      if (below) {
        frames.add(new Frame(block.cid(), links, depth + 1));
      }
    }
    return true;
  }

  /** Writes what the frames still hold once the walk is done. */
  void finish() {
    while (!frames.isEmpty()) {
      finish(frames.remove(frames.size() - 1));
    }
  }

  private void finish(Frame frame) {
    while (frame.next < frame.links.size()) {
      repeat(frame, frame.links.get(frame.next++));
    }
  }

  /**
   * A link the walk skipped, its block met before: written again with the subtree below it (depth first,
   * within the max depth) unless the listing is unique. Iterative, over the links kept.
   */
  private void repeat(Frame from, Link to) {
    write(from, to);
    if (unique) {
      return;
    }
    List<Frame> stack = new ArrayList<>();
    push(stack, to.cid(), from.depth);
    while (!stack.isEmpty()) {
      Frame top = stack.get(stack.size() - 1);
      if (top.next == top.links.size()) {
        stack.remove(stack.size() - 1);
        continue;
      }
      Link link = top.links.get(top.next++);
      write(top, link);
      push(stack, link.cid(), top.depth);
    }
  }

  /** Pushes the kept links of the block at {@code depth}, if it has any and they are within the max depth. */
  private void push(List<Frame> stack, Cid cid, int depth) {
    List<Link> links = linksOf.get(cid);
    if (links != null && (maxDepth < 0 || depth < maxDepth)) {
      stack.add(new Frame(cid, links, depth + 1));
    }
  }

  private List<Link> links(Block block) throws DagException {
    List<Cid> cids = dag.links(block);
    List<Link> links = new ArrayList<>(cids.size());
    if (block.cid().codec() == DAG_PB) {
      for (PbLink link : DagPb.decode(block.cid(), block.data(), cids.size()).links()) {
        links.add(new Link(link.cid(), link.name() == null ? "" : link.name()));
      }
    } else {
      for (Cid cid : cids) {
        links.add(new Link(cid, ""));
      }
    }
    return links;
  }

  private void write(Frame from, Link to) {
    if (unique && !printed.add(to.cid())) {
      return;
    }
    String ref = format.replace("<src>", from.cid.toString()).replace("<dst>", to.cid().toString())
        .replace("<linkname>", to.name());
    try {
      lines.write(RefsCommand.line(ref, ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
