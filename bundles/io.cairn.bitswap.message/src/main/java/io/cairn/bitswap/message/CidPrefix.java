package io.cairn.bitswap.message;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.Multihash;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Everything of a CID but the digest: what a bitswap 1.1.0+ block carries so that the receiver can
 * rebuild the CID from the data by hashing it. On the wire: version, content codec, multihash function
 * and digest length, each an unsigned varint.
 *
 * @param version 0 or 1; a version 0 prefix is always {@link #V0}
 * @param codec the content codec (multicodec code)
 * @param multihashCode the hash function (multicodec code)
 * @param digestLength the digest length in bytes
 */
public record CidPrefix(int version, long codec, long multihashCode, int digestLength) {
  /** The prefix of every CIDv0, and so of every bitswap 1.0.0 block: dag-pb, sha2-256, 32 bytes. */
  public static final CidPrefix V0 = new CidPrefix(0, Multicodec.DAG_PB.code(), Multicodec.SHA2_256.code(), 32);

  /**
   * @throws IllegalArgumentException for a version other than 0 or 1, a negative code or length, or a
   *         version 0 prefix that is not {@link #V0}'s
   */
  public CidPrefix {
    if (version != 0 && version != 1) {
      throw new IllegalArgumentException("CID version " + version + " is neither 0 nor 1");
    }
    if (codec < 0 || multihashCode < 0 || digestLength < 0) {
      throw new IllegalArgumentException("negative codec, multihash code or digest length in a CID prefix");
    }
    if (version == 0 && (codec != Multicodec.DAG_PB.code() || multihashCode != Multicodec.SHA2_256.code()
        || digestLength != 32)) {
      throw new IllegalArgumentException("a CIDv0 is dag-pb with a 32-byte sha2-256 digest, not codec 0x"
          + Long.toHexString(codec) + ", hash 0x" + Long.toHexString(multihashCode) + "/" + digestLength);
    }
  }

  /** @return the prefix of {@code cid} */
  public static CidPrefix of(Cid cid) {
    if (cid.version() == 0) {
      return V0;
    }
    Multihash multihash = cid.multihash();
    return new CidPrefix(1, cid.codec(), multihash.code(), multihash.digestLength());
  }

  /** @return the wire form: the four unsigned varints */
  public byte[] toBytes() {
    byte[] bytes = new byte[encodedLength()];
    int offset = Varint.encode(version, bytes, 0);
    offset += Varint.encode(codec, bytes, offset);
    offset += Varint.encode(multihashCode, bytes, offset);
    Varint.encode(digestLength, bytes, offset);
    return bytes;
  }

  /**
   * Parses the wire form.
   *
   * @throws MalformedMessageException if it is not exactly four minimal unsigned varints making a
   *         valid prefix
   */
  public static CidPrefix decode(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    WireReader reader = new WireReader(buf, 0, "CID prefix");
    return read(reader, bytes.length);
  }

  /** Reads a prefix that fills the reader's region up to {@code end}. */
  static CidPrefix read(WireReader reader, int end) {
    long version = reader.uvarint(end);
    long codec = reader.uvarint(end);
    long multihashCode = reader.uvarint(end);
    long digestLength = reader.uvarint(end);
    if (reader.position() != end) {
      throw reader.malformed((end - reader.position()) + " bytes after the CID prefix");
    }
    if (version == 0 && codec == V0.codec && multihashCode == V0.multihashCode && digestLength == V0.digestLength) {
      return V0;
    }
    try {
      if (version > 1 || digestLength > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("CID version " + version + ", digest length " + digestLength);
      }
      return new CidPrefix((int) version, codec, multihashCode, (int) digestLength);
    } catch (IllegalArgumentException e) {
      throw reader.malformed("invalid CID prefix: " + e.getMessage(), e);
    }
  }

  /** @return the length of the wire form */
  int encodedLength() {
    return Varint.encodedLength(version) + Varint.encodedLength(codec) + Varint.encodedLength(multihashCode)
        + Varint.encodedLength(digestLength);
  }

  /** Writes the wire form. */
  void writeTo(ByteBuf out) {
    Wire.writeVarint(out, version);
    Wire.writeVarint(out, codec);
    Wire.writeVarint(out, multihashCode);
    Wire.writeVarint(out, digestLength);
  }

  /**
   * Hashes {@code data} with this prefix's function and makes its CID: the receiver's check that a
   * block is what it claims to be. Costs a full hash of the data: call it off the event loop.
   *
   * @throws MalformedMessageException if the function is identity or one this node does not compute
   *         (sha2-256, sha2-512 and blake2b-256 are), or the digest length is not the function's
   */
  public Cid cidOf(byte[] data) {
    Multicodec function = Multicodec.forCode(multihashCode).orElse(Multicodec.IDENTITY);
    if (function == Multicodec.IDENTITY) {
      // Identity "blocks" carry their data in the CID: nothing to verify, nothing to send.
      throw new MalformedMessageException("CID prefix: hash function 0x" + Long.toHexString(multihashCode)
          + " is identity or unknown");
    }
    Multihash multihash;
    try {
      multihash = Multihash.digest(function, data);
    } catch (MultiformatException e) {
      throw new MalformedMessageException("CID prefix: cannot hash with " + function + ": " + e.getMessage(), e);
    }
    if (multihash.digestLength() != digestLength) {
      throw new MalformedMessageException("CID prefix: " + function + " digests are " + multihash.digestLength()
          + " bytes, not " + digestLength);
    }
    return version == 0 ? Cid.v0(multihash) : Cid.v1(codec, multihash);
  }
}
