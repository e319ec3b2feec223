package io.cairn.unixfs.internal;

import io.cairn.blockstore.Block;
import io.cairn.dag.DagPb;
import io.cairn.dag.PbLink;
import io.cairn.dag.PbNode;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a directory as a HAMT-sharded UnixFS directory the way go-unixfs (boxo's hamt package) lays it
 * out: fanout 256, names hashed with murmur3-x64-64, one byte of the hash a level; a bucket holding one
 * entry links it as prefix + name, a bucket two or more entries fall into becomes a child shard linked
 * by its prefix alone. The result depends only on the entries, not on the order they were added. Each
 * shard's Data is Type HAMTShard, the bitfield (big-endian, leading zero bytes trimmed, as
 * go-bitfield's Bytes), hashType 0x22 and fanout; link Tsizes are cumulative sizes.
 */
final class HamtWriter {
  /** boxo's DefaultShardWidth. */
  static final int FANOUT = 256;
  /** boxo's HAMTShardingSize default (Kubo's Import.UnixFSHAMTDirectorySizeThreshold): 256 KiB. */
  static final long SHARDING_THRESHOLD = 256 * 1024;

  /** A directory entry to place: its name, its root and its cumulative size. */
  record Entry(String name, Cid cid, long tsize) {
  }

  /** A shard being built: its buckets by index, each an {@link Entry} or a child {@link Bucket}. */
  private static final class Bucket {
    final TreeMap<Integer, Object> children = new TreeMap<>();
  }

  private HamtWriter() {}

  /**
   * Whether Kubo shards a directory of these entries: when its estimated size, the sum over links of
   * the name's UTF-8 length and the CID's byte length, exceeds 256 KiB (boxo: strictly greater).
   */
  static boolean shouldShard(List<Entry> entries) {
    long estimate = 0;
    for (Entry e : entries) {
      estimate += e.name().getBytes(StandardCharsets.UTF_8).length + e.cid().toBytes().length;
    }
    return estimate > SHARDING_THRESHOLD;
  }

  /** Writes the shards, children first, through {@code writer}; returns the root shard and its cumulative size. */
  static FileBuilder.Child write(List<Entry> entries, int cidVersion, BlockWriter writer) throws UnixFsException {
    Bucket root = new Bucket();
    for (Entry e : entries) {
      insert(root, e, Murmur3.hash64(e.name().getBytes(StandardCharsets.UTF_8)), 0);
    }
    return serialize(root, cidVersion, writer);
  }

  private static void insert(Bucket bucket, Entry entry, byte[] hash, int depth) throws UnixFsException {
    if (depth >= hash.length) {
      throw new UnixFsException(null, "cannot shard the directory entry \"" + entry.name()
          + "\": its 64-bit name hash is the same as another entry's");
    }
    int index = hash[depth] & 0xff;
    Object existing = bucket.children.get(index);
    if (existing == null) {
      bucket.children.put(index, entry);
    } else if (existing instanceof Bucket child) {
      insert(child, entry, hash, depth + 1);
    } else {
      Entry other = (Entry) existing;
      Bucket child = new Bucket();
      insert(child, other, Murmur3.hash64(other.name().getBytes(StandardCharsets.UTF_8)), depth + 1);
      insert(child, entry, hash, depth + 1);
      bucket.children.put(index, child);
    }
  }

  private static FileBuilder.Child serialize(Bucket bucket, int cidVersion, BlockWriter writer) throws UnixFsException {
    List<PbLink> links = new ArrayList<>(bucket.children.size());
    byte[] bitfield = new byte[FANOUT / 8];
    long tsize = 0;
    for (Map.Entry<Integer, Object> child : bucket.children.entrySet()) {
      int index = child.getKey();
      bitfield[bitfield.length - 1 - index / 8] |= (byte) (1 << (index % 8));
      String prefix = String.format("%02X", index);
      if (child.getValue() instanceof Bucket b) {
        FileBuilder.Child shard = serialize(b, cidVersion, writer);
        links.add(new PbLink(shard.cid(), prefix, shard.tsize()));
        tsize += shard.tsize();
      } else {
        Entry e = (Entry) child.getValue();
        links.add(new PbLink(e.cid(), prefix + e.name(), e.tsize()));
        tsize += e.tsize();
      }
    }
    int first = 0;
    while (first < bitfield.length && bitfield[first] == 0) {
      first++;
    }
    byte[] trimmed = first == bitfield.length ? null : java.util.Arrays.copyOfRange(bitfield, first, bitfield.length);
    UnixFsData data = new UnixFsData(UnixFsType.HAMT_SHARD, trimmed, null, null, UnixFsData.MURMUR3_X64_64, (long) FANOUT);
    byte[] bytes = DagPb.encode(new PbNode(links, data.encode()));
    Block block = new Block(FileBuilder.dagPbCid(bytes, cidVersion), bytes);
    writer.add(block);
    return new FileBuilder.Child(block.cid(), tsize + bytes.length, 0);
  }
}
