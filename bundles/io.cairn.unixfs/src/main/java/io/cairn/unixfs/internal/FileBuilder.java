package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import io.cairn.unixfs.UnixFsException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Kubo's file layout, streamed: fixed-size chunks, leaves as raw blocks or dag-pb UnixFS file leaves,
 * and go-unixfs's balanced tree of at most {@value #MAX_LINKS} links a node, built level by level as
 * chunks arrive so only one partial node per level is held. A level is committed into a node of the
 * level above when a child arrives for it while full, and at the end; the result is the tree go-unixfs's
 * balanced.Layout builds (a single chunk is its own root; a level's lone partial node stays a node).
 */
final class FileBuilder {
  /** go-unixfs's DefaultLinksPerBlock for the balanced layout (helpers.DefaultLinksPerBlock). */
  static final int MAX_LINKS = 174;

  /** A built node or leaf, as its parent links it. */
  record Child(Cid cid, long tsize, long fileSize) {
  }

  private final int chunkSize;
  private final int cidVersion;
  private final boolean rawLeaves;
  private final BlockWriter writer;

  FileBuilder(int chunkSize, int cidVersion, boolean rawLeaves, BlockWriter writer) {
    this.chunkSize = chunkSize;
    this.cidVersion = cidVersion;
    this.rawLeaves = rawLeaves;
    this.writer = writer;
  }

  /** Reads {@code in} to its end and writes the file; {@code progress} is told the bytes read after each chunk. */
  Child build(InputStream in, LongConsumer progress) throws IOException, UnixFsException {
    List<List<Child>> levels = new ArrayList<>();
    levels.add(new ArrayList<>());
    long read = 0;
    byte[] chunk;
    int chunks = 0;
    while ((chunk = readChunk(in)) != null) {
      read += chunk.length;
      add(levels, 0, leaf(chunk));
      chunks++;
      progress.accept(read);
    }
    if (chunks == 0) {
      return leaf(new byte[0]);
    }
    if (chunks == 1) {
      return levels.get(0).get(0);
    }
    // Commit every level bottom-up; the top then holds the root alone.
    for (int level = 0; level < levels.size() - 1 || levels.get(level).size() > 1; level++) {
      List<Child> children = levels.get(level);
      if (!children.isEmpty()) {
        Child node = node(children);
        levels.set(level, new ArrayList<>());
        add(levels, level + 1, node);
      }
    }
    return levels.get(levels.size() - 1).get(0);
  }

  /** Adds a child at {@code level}, first committing that level upward if it is full. */
  private void add(List<List<Child>> levels, int level, Child child) throws UnixFsException {
    if (level == levels.size()) {
      levels.add(new ArrayList<>());
    }
    List<Child> children = levels.get(level);
    if (children.size() == MAX_LINKS) {
      Child node = node(children);
      levels.set(level, new ArrayList<>());
      add(levels, level + 1, node);
      children = levels.get(level);
    }
    children.add(child);
  }

  private Child leaf(byte[] chunk) throws UnixFsException {
    if (rawLeaves) {
      // go-merkledag's raw nodes are CIDv1 even under a CIDv0 builder (V0Builder.WithCodec(Raw))
      Block block = new Block(Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, chunk)), chunk);
      writer.add(block);
      return new Child(block.cid(), chunk.length, chunk.length);
    }
    byte[] bytes = DagPb.encode(new PbNode(List.of(), UnixFsData.fileLeaf(chunk).encode()));
    Block block = new Block(dagPbCid(bytes, cidVersion), bytes);
    writer.add(block);
    return new Child(block.cid(), bytes.length, chunk.length);
  }

  private Child node(List<Child> children) throws UnixFsException {
    long[] sizes = new long[children.size()];
    List<PbLink> links = new ArrayList<>(children.size());
    long tsize = 0;
    for (int i = 0; i < sizes.length; i++) {
      Child c = children.get(i);
      sizes[i] = c.fileSize();
      links.add(new PbLink(c.cid(), "", c.tsize()));
      tsize += c.tsize();
    }
    UnixFsData data = UnixFsData.fileNode(sizes);
    byte[] bytes = DagPb.encode(new PbNode(links, data.encode()));
    Block block = new Block(dagPbCid(bytes, cidVersion), bytes);
    writer.add(block);
    return new Child(block.cid(), tsize + bytes.length, data.fileSize());
  }

  static Cid dagPbCid(byte[] bytes, int cidVersion) {
    Multihash mh = Multihash.digest(Multicodec.SHA2_256, bytes);
    return cidVersion == 0 ? Cid.v0(mh) : Cid.v1(Multicodec.DAG_PB, mh);
  }

  /** The next chunk, full-size unless the input ends first (go's size splitter: io.ReadFull); null at the end. */
  private byte[] readChunk(InputStream in) throws IOException {
    byte[] buf = new byte[chunkSize];
    int n = 0;
    while (n < chunkSize) {
      int r = in.read(buf, n, chunkSize - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    if (n == 0) {
      return null;
    }
    return n == chunkSize ? buf : java.util.Arrays.copyOf(buf, n);
  }
}
