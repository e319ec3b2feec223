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
import java.util.List;
import java.util.Set;

/**
 * Writes the edges of one depth-first walk in Kubo's refs order. A visit at depth d ends the frames of the
 * blocks at depth d and below (their links not visited were met before, so the walk skipped them) and is
 * the next link of the block at depth d - 1: the links before it there were skipped too. Skipped links are
 * written as Kubo writes a repeated link (unless unique); each visited block's edge is written as it is
 * visited. The walk calls one visit at a time, so no locking.
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

  private record Link(Cid cid, String name) {
  }

  /** A block whose links are being listed, and the next of them not yet written. */
  private static final class Frame {
    final Cid cid;
    final List<Link> links;
    int next;

    Frame(Cid cid, List<Link> links) {
      this.cid = cid;
      this.links = links;
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
        write(parent, parent.links.get(parent.next++));
      }
      if (parent.next == parent.links.size()) {
        throw new IllegalStateException("the walk visited " + block.cid() + " at depth " + depth
            + ", which is no link of " + parent.cid + " left to list");
      }
      write(parent, parent.links.get(parent.next++));
    }
    if (maxDepth < 0 || depth < maxDepth) {
      frames.add(new Frame(block.cid(), links(block)));
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
      write(frame, frame.links.get(frame.next++));
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
