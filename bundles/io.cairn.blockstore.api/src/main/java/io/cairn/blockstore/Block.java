package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.Multihash;
import java.util.Arrays;

/**
 * A block: its CID and its bytes. The array is not copied on the way in or out (blocks move through
 * caches and the network at high rates): nobody may modify it once it is in a block.
 */
public record Block(Cid cid, byte[] data) {
  public Block {
    if (cid == null || data == null) {
      throw new IllegalArgumentException("a block needs a CID and data");
    }
  }

  /** A raw-codec CIDv1 block of {@code data} with a sha2-256 multihash, as {@code ipfs block put} makes. */
  public static Block raw(byte[] data) {
    return new Block(Cid.v1(Multicodec.RAW, Multihash.digest(Multicodec.SHA2_256, data)), data);
  }

  /** Whether the data hashes to the CID's multihash (identity CIDs compare the bytes). */
  public boolean verify() {
    return cid.multihash().verify(data);
  }

  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Block b && cid.equals(b.cid) && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return cid.hashCode();
  }

  @Override
  public String toString() {
    return "Block[" + cid + ", " + data.length + " bytes]";
  }
}
