package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagException;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsType;
import java.util.List;

/**
 * One block read as UnixFS: a raw block (a file's bytes) or a dag-pb node with its UnixFS Data.
 *
 * @param data the UnixFS Data; null for a raw block
 * @param links the dag-pb links; empty for a raw block
 */
record FsNode(Block block, UnixFsData data, List<PbLink> links) {
  static FsNode parse(Block block, int maxLinks) throws UnixFsException {
    Cid cid = block.cid();
    if (cid.codec() == Multicodec.RAW.code()) {
      return new FsNode(block, null, List.of());
    }
    if (cid.codec() != Multicodec.DAG_PB.code()) {
      throw new UnixFsException(cid, cid + " is not a UnixFS node: its codec is "
          + Multicodec.forCode(cid.codec()).map(Multicodec::codecName).orElse("0x" + Long.toHexString(cid.codec()))
          + ", not dag-pb or raw");
    }
    PbNode node;
    try {
      node = DagPb.decode(cid, block.data(), maxLinks);
    } catch (DagException e) {
      throw new UnixFsException(cid, e.getMessage(), e);
    }
    UnixFsData data = UnixFsData.decode(cid, node.data(), maxLinks);
    return new FsNode(block, data, node.links());
  }

  Cid cid() {
    return block.cid();
  }

  UnixFsType type() {
    return data == null ? UnixFsType.FILE : data.type();
  }

  /** A file's bytes held in this node itself (a raw block's all, a dag-pb node's Data field). */
  byte[] inline() {
    if (data == null) {
      return block.data();
    }
    return data.data() == null ? new byte[0] : data.data();
  }

  /** A file's length: a raw block's size, else the node's filesize (or what its parts add up to). */
  long fileSize() {
    return data == null ? block.data().length : data.contentSize();
  }

  /**
   * Checks that a file node's links and blocksizes agree (each child covers the bytes its blocksize says):
   * what lets reads seek without fetching skipped children.
   */
  void checkFile() throws UnixFsException {
    if (data == null) {
      return;
    }
    if (!type().isFile()) {
      throw new UnixFsException(cid(), cid() + " is not a file: it is a UnixFS " + type().name().toLowerCase());
    }
    if (data.blockSizes().length != links.size()) {
      throw new UnixFsException(cid(), "malformed UnixFS file " + cid() + ": " + links.size() + " links but "
          + data.blockSizes().length + " blocksizes");
    }
    for (long size : data.blockSizes()) {
      if (size < 0) {
        throw new UnixFsException(cid(), "malformed UnixFS file " + cid() + ": a blocksize over 2^63");
      }
    }
  }
}
