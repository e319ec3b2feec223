package io.cairn.unixfs.internal;

import io.cairn.dag.PbLink;
import io.cairn.multiformats.Cid;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HAMT shard node of a sharded UnixFS directory, validated before anything is read from it: the
 * hash function is murmur3-x64-64, the fanout a power of two within the limit, the bitfield no longer
 * than the fanout needs, and its set bits exactly the hex prefixes of the links, in order. go-unixfs
 * took a bogus fanout or bitfield on trust and panicked (CVE-2023-23625, CVE-2023-23631).
 *
 * <p>A link named by its prefix alone is a child shard; a link named prefix + name is an entry.
 */
final class Hamt {
  final FsNode node;
  final int fanout;
  /** Hex digits of a link's prefix: those of {@code fanout - 1}. */
  final int prefixLength;
  /** Hash bits each level consumes: log2(fanout). */
  final int bitWidth;
  /** The bucket index of each link, ascending. */
  private final int[] indices;

  private Hamt(FsNode node, int fanout, int[] indices) {
    this.node = node;
    this.fanout = fanout;
    this.prefixLength = Integer.toHexString(fanout - 1).length();
    this.bitWidth = Integer.numberOfTrailingZeros(fanout);
    this.indices = indices;
  }

  static Hamt of(FsNode node, int maxFanout) throws UnixFsException {
    Cid cid = node.cid();
    if (node.type() != UnixFsType.HAMT_SHARD) {
      throw new UnixFsException(cid, cid + " is not a HAMT shard: it is a UnixFS " + node.type().name().toLowerCase());
    }
    UnixFsData d = node.data();
    if (d.fanout() == null) {
      throw bogus(cid, "no fanout");
    }
    long fanout = d.fanout();
    if (fanout < 2 || fanout > maxFanout || Long.bitCount(fanout) != 1) {
      throw bogus(cid, "fanout " + Long.toUnsignedString(fanout) + " (it must be a power of two from 2 to " + maxFanout
          + ")");
    }
    // checked after the fanout, which the CVEs abused and a bogus shard is reported by first
    if (d.hashType() == null || d.hashType() != UnixFsData.MURMUR3_X64_64) {
      throw bogus(cid, "hash function " + (d.hashType() == null ? "missing" : "0x" + Long.toHexString(d.hashType()))
          + " (only murmur3-x64-64, 0x22, is defined)");
    }
    byte[] bitfield = d.data() == null ? new byte[0] : d.data();
    int maxBytes = (int) ((fanout + 7) / 8);
    if (bitfield.length > maxBytes) {
      throw bogus(cid, "bitfield of " + bitfield.length + " bytes for fanout " + fanout + " (at most " + maxBytes + ")");
    }
    List<PbLink> links = node.links();
    int set = 0;
    for (byte b : bitfield) {
      set += Integer.bitCount(b & 0xff);
    }
    if (set != links.size()) {
      throw bogus(cid, "bitfield has " + set + " bits set but the node has " + links.size() + " links");
    }
    Hamt shape = new Hamt(node, (int) fanout, new int[links.size()]);
    int bit = -1;
    for (int i = 0; i < links.size(); i++) {
      do {
        bit++;
      } while (!isSet(bitfield, bit));
      if (bit >= fanout) {
        throw bogus(cid, "bitfield sets bit " + bit + ", beyond fanout " + fanout);
      }
      int index = shape.prefixIndex(links.get(i).name());
      if (index != bit) {
        throw bogus(cid, "link " + i + " (\"" + links.get(i).name() + "\") is not in bucket " + bit
            + " that the bitfield gives it");
      }
      shape.indices[i] = index;
    }
    return shape;
  }

  /** Bit {@code i} of a big-endian bitfield (bit 0 is the last byte's lowest). */
  private static boolean isSet(byte[] bitfield, int i) {
    int at = bitfield.length - 1 - i / 8;
    return at >= 0 && (bitfield[at] >> (i % 8) & 1) != 0;
  }

  private int prefixIndex(String name) throws UnixFsException {
    if (name == null || name.length() < prefixLength) {
      throw bogus(node.cid(), "link name \"" + name + "\" shorter than the " + prefixLength + "-digit bucket prefix");
    }
    int index = 0;
    for (int i = 0; i < prefixLength; i++) {
      int digit = Character.digit(name.charAt(i), 16);
      if (digit < 0) {
        throw bogus(node.cid(), "link name \"" + name + "\" does not start with a hex bucket prefix");
      }
      index = index << 4 | digit;
    }
    return index;
  }

  int size() {
    return indices.length;
  }

  PbLink link(int i) {
    return node.links().get(i);
  }

  /** Whether link {@code i} leads to a child shard (its name is the prefix alone). */
  boolean isShard(int i) {
    return link(i).name().length() == prefixLength;
  }

  /** The directory entry name of link {@code i}, an entry link. */
  String entryName(int i) {
    return link(i).name().substring(prefixLength);
  }

  /** Which link holds the bucket {@code index}; -1 if the bucket is empty. */
  int linkFor(int index) {
    int lo = 0;
    int hi = indices.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (indices[mid] < index) {
        lo = mid + 1;
      } else if (indices[mid] > index) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The bucket of {@code name} at HAMT level {@code depth} (0 at the directory's root shard). */
  int bucket(String name, int depth) throws UnixFsException {
    byte[] hash = Murmur3.hash64(name.getBytes(StandardCharsets.UTF_8));
    int start = depth * bitWidth;
    if (start + bitWidth > hash.length * 8) {
      throw bogus(node.cid(), "shards nested " + depth + " deep, beyond what a 64-bit hash can address");
    }
    int value = 0;
    for (int i = 0; i < bitWidth; i++) {
      int bit = start + i;
      value = value << 1 | (hash[bit / 8] >> (7 - bit % 8) & 1);
    }
    return value;
  }

  /** How many levels a 64-bit hash addresses at this fanout. */
  int maxDepth() {
    return 64 / bitWidth;
  }

  static UnixFsException bogus(Cid cid, String why) {
    return new UnixFsException(cid, "bogus HAMT shard " + cid + ": " + why);
  }
}
