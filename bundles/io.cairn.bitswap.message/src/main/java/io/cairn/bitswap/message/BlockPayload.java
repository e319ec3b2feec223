package io.cairn.bitswap.message;

import io.cairn.multiformats.Cid;
import java.util.Arrays;
import java.util.Objects;

/**
 * A block as bitswap carries it: its data and the prefix of its CID. The CID itself is not sent; the
 * receiver rebuilds it by hashing the data ({@link #cid()}), which is also its proof that the block is
 * the one it asked for.
 *
 * <p>The data array is not copied, here or by the codec: whoever makes a payload hands the array over
 * and does not change it afterwards. Equality compares the data's contents.
 *
 * @param prefix the CID prefix: version, codec, hash function and digest length
 * @param data the block's bytes
 */
public record BlockPayload(CidPrefix prefix, byte[] data) {
  /** @throws NullPointerException if an argument is null */
  public BlockPayload {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(data, "data");
  }

  /** @return the payload of the block {@code data} whose CID is {@code cid}; the data is not hashed here */
  public static BlockPayload of(Cid cid, byte[] data) {
    return new BlockPayload(CidPrefix.of(cid), data);
  }

  /**
   * Hashes the data and returns its CID under this payload's prefix. Costs a full hash: call it off
   * the event loop.
   *
   * @throws MalformedMessageException if the prefix names a hash function that cannot be computed here,
   *         identity among them, or a digest length that is not the function's
   */
  public Cid cid() {
    return prefix.cidOf(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockPayload other && prefix.equals(other.prefix) && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * prefix.hashCode() + Arrays.hashCode(data);
  }

  /** @return the prefix and the data's length, not the data */
  @Override
  public String toString() {
    return "BlockPayload[prefix=" + prefix + ", " + data.length + " bytes]";
  }
}
