package io.cairn.dag;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.Varint;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The IPLD dag-pb codec: the protobuf form of {@link PbNode} as the dag-pb spec fixes it.
 *
 * <p>Decoding is as strict as go-codec-dagpb and @ipld/dag-pb: a node holds only Links (field 2) and Data
 * (field 1), all Links before Data, Data at most once; a link holds Hash (1), Name (2) and Tsize (3) in
 * that order, each at most once, and must have a Hash that is a valid CID. Any other field, wire type or
 * order is refused. Every length is checked against the bytes that remain before anything is allocated,
 * and the link count is checked against the caller's bound before the list grows past it. Like those
 * decoders it accepts protobuf varints that are not minimally encoded; names must be valid UTF-8, since
 * they are kept as strings and must encode back to the same bytes.
 *
 * <p>Encoding writes the canonical form those codecs write: Links in the given order, then Data; in a
 * link Hash, then Name if present, then Tsize if present. The bytes are those Kubo writes for the same
 * node, so a re-encoded UnixFS node keeps its CID.
 */
public final class DagPb {
  private static final int NODE_DATA = 1;
  private static final int NODE_LINKS = 2;
  private static final int LINK_HASH = 1;
  private static final int LINK_NAME = 2;
  private static final int LINK_TSIZE = 3;
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_BYTES = 2;
  private static final byte TAG_DATA = (byte) (NODE_DATA << 3 | WIRE_BYTES);
  private static final byte TAG_LINKS = (byte) (NODE_LINKS << 3 | WIRE_BYTES);
  private static final byte TAG_HASH = (byte) (LINK_HASH << 3 | WIRE_BYTES);
  private static final byte TAG_NAME = (byte) (LINK_NAME << 3 | WIRE_BYTES);
  private static final byte TAG_TSIZE = (byte) (LINK_TSIZE << 3 | WIRE_VARINT);

  private DagPb() {
  }

  /**
   * Decodes a dag-pb block.
   *
   * @param cid the block's CID, named in errors (not checked against the bytes); may be null
   * @param maxLinks the most links accepted
   * @throws DagException if the bytes are not a valid dag-pb node or hold more than {@code maxLinks} links
   * @throws IllegalArgumentException if {@code maxLinks} is negative
   */
  public static PbNode decode(Cid cid, byte[] bytes, int maxLinks) throws DagException {
    if (maxLinks < 0) {
      throw new IllegalArgumentException("maxLinks must not be negative, got " + maxLinks);
    }
    return new Decoder(cid, bytes).node(maxLinks, true);
  }

  /**
   * The links of a dag-pb block, checked as strictly as {@link #decode} does, without copying its Data
   * (walks read the links of every block, and a file's leaves are mostly data).
   *
   * @throws DagException if the bytes are not a valid dag-pb node or hold more than {@code maxLinks} links
   * @since 1.1
   */
  public static List<PbLink> links(Cid cid, byte[] bytes, int maxLinks) throws DagException {
    if (maxLinks < 0) {
      throw new IllegalArgumentException("maxLinks must not be negative, got " + maxLinks);
    }
    return new Decoder(cid, bytes).node(maxLinks, false).links();
  }

  /**
   * Encodes a node in the canonical dag-pb form.
   *
   * @throws IllegalArgumentException if a name is not well-formed UTF-16 (it could not be written as
   *     UTF-8)
   */
  public static byte[] encode(PbNode node) {
    List<PbLink> links = node.links();
    byte[][] hashes = new byte[links.size()][];
    byte[][] names = new byte[links.size()][];
    int[] linkSizes = new int[links.size()];
    long size = 0;
    for (int i = 0; i < links.size(); i++) {
      PbLink link = links.get(i);
      hashes[i] = link.cid().toBytes();
      int linkSize = field(hashes[i].length);
      if (link.name() != null) {
        names[i] = utf8(link.name());
        linkSize += field(names[i].length);
      }
      if (link.tsize() != null) {
        linkSize += 1 + Varint.protobufLength(link.tsize());
      }
      linkSizes[i] = linkSize;
      size += field(linkSize);
    }
    if (node.data() != null) {
      size += field(node.data().length);
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a dag-pb node of " + size + " bytes cannot be encoded in one array");
    }
    byte[] out = new byte[(int) size];
    int pos = 0;
    for (int i = 0; i < links.size(); i++) {
      out[pos++] = TAG_LINKS;
      pos = writeVarint(out, pos, linkSizes[i]);
      pos = writeBytes(out, pos, TAG_HASH, hashes[i]);
      if (names[i] != null) {
        pos = writeBytes(out, pos, TAG_NAME, names[i]);
      }
      Long tsize = links.get(i).tsize();
      if (tsize != null) {
        out[pos++] = TAG_TSIZE;
        pos = writeVarint(out, pos, tsize);
      }
    }
    if (node.data() != null) {
      writeBytes(out, pos, TAG_DATA, node.data());
    }
    return out;
  }

  /** The length of a one-byte tag, a length varint and {@code length} bytes. */
  private static int field(int length) {
    return 1 + Varint.protobufLength(length) + length;
  }

  private static int writeBytes(byte[] out, int pos, byte tag, byte[] value) {
    out[pos++] = tag;
    pos = writeVarint(out, pos, value.length);
    System.arraycopy(value, 0, out, pos, value.length);
    return pos + value.length;
  }

  private static int writeVarint(byte[] out, int pos, long value) {
    return Varint.putProtobuf(value, out, pos);
  }

  private static byte[] utf8(String name) {
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(name));
      return Arrays.copyOfRange(encoded.array(), encoded.arrayOffset(), encoded.arrayOffset() + encoded.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("dag-pb link name is not well-formed UTF-16: " + e.getMessage(), e);
    }
  }

  /** One decode: the input and the read position. */
  private static final class Decoder {
    private final Cid cid;
    private final byte[] in;
    private int pos;

    Decoder(Cid cid, byte[] in) {
      this.cid = cid;
      this.in = in;
    }

    /** The node; with {@code keepData} false its Data is checked but not copied (the node's data is then empty). */
    PbNode node(int maxLinks, boolean keepData) throws DagException {
      List<PbLink> links = new ArrayList<>(Math.min(maxLinks, 16));
      byte[] data = null;
      boolean seenData = false;
      while (pos < in.length) {
        long key = varint(in.length, "field key");
        long field = key >>> 3;
        int wire = (int) (key & 7);
        if (field != NODE_DATA && field != NODE_LINKS) {
          throw fail("unknown PBNode field " + field + " (a dag-pb node holds only Links (2) and Data (1))");
        }
        if (wire != WIRE_BYTES) {
          throw fail("PBNode field " + field + " has wire type " + wire + ", expected 2 (length-delimited)");
        }
        int length = length(in.length, field == NODE_DATA ? "Data" : "link");
        if (field == NODE_DATA) {
          if (seenData) {
            throw fail("duplicate Data field");
          }
          seenData = true;
          data = keepData ? Arrays.copyOfRange(in, pos, pos + length) : null;
          pos += length;
        } else {
          if (seenData) {
            throw fail("Links after Data: dag-pb writes every link before the data");
          }
          if (links.size() == maxLinks) {
            throw fail("more than " + maxLinks + " links, the most accepted");
          }
          links.add(link(pos + length, links.size()));
        }
      }
      return new PbNode(links, data);
    }

    /** Reads the link that ends at {@code end}, leaving the position there. */
    private PbLink link(int end, int index) throws DagException {
      Cid hash = null;
      String name = null;
      Long tsize = null;
      while (pos < end) {
        long key = varint(end, "link field key");
        long field = key >>> 3;
        int wire = (int) (key & 7);
        if (field == LINK_HASH) {
          expectWire(index, "Hash", wire, WIRE_BYTES);
          if (hash != null) {
            throw fail("link " + index + " has a duplicate Hash");
          }
          if (name != null || tsize != null) {
            throw fail("link " + index + " has Hash after Name or Tsize");
          }
          hash = cid(index, length(end, "Hash"));
        } else if (field == LINK_NAME) {
          expectWire(index, "Name", wire, WIRE_BYTES);
          if (name != null) {
            throw fail("link " + index + " has a duplicate Name");
          }
          if (tsize != null) {
            throw fail("link " + index + " has Name after Tsize");
          }
          name = string(index, length(end, "Name"));
        } else if (field == LINK_TSIZE) {
          expectWire(index, "Tsize", wire, WIRE_VARINT);
          if (tsize != null) {
            throw fail("link " + index + " has a duplicate Tsize");
          }
          tsize = varint(end, "Tsize");
        } else {
          throw fail("link " + index + " has unknown field " + field
              + " (a dag-pb link holds only Hash (1), Name (2) and Tsize (3))");
        }
      }
      if (hash == null) {
        throw fail("link " + index + " has no Hash");
      }
      return new PbLink(hash, name, tsize);
    }

    private void expectWire(int index, String field, int wire, int expected) throws DagException {
      if (wire != expected) {
        throw fail("link " + index + " " + field + " has wire type " + wire + ", expected " + expected);
      }
    }

    private Cid cid(int index, int length) throws DagException {
      if (length == 0) {
        throw fail("link " + index + " has an empty Hash");
      }
      if (length > Cid.DEFAULT_MAX_LENGTH) {
        throw fail("link " + index + " Hash of " + length + " bytes is longer than a CID may be ("
            + Cid.DEFAULT_MAX_LENGTH + ")");
      }
      try {
        Cid cid = Cid.fromBytes(Arrays.copyOfRange(in, pos, pos + length));
        pos += length;
        return cid;
      } catch (MultiformatException e) {
        throw new DagException(this.cid, "dag-pb block " + this.cid + ": link " + index
            + " Hash is not a valid CID: " + e.getMessage(), e);
      }
    }

    private String string(int index, int length) throws DagException {
      // Most names are empty (file chunks) or ASCII: no decoder needed for those.
      boolean ascii = true;
      for (int i = pos; i < pos + length && ascii; i++) {
        ascii = in[i] >= 0;
      }
      if (ascii) {
        String s = length == 0 ? "" : new String(in, pos, length, StandardCharsets.US_ASCII);
        pos += length;
        return s;
      }
      try {
        String s = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(in, pos, length))
            .toString();
        pos += length;
        return s;
      } catch (CharacterCodingException e) {
        throw fail("link " + index + " Name is not valid UTF-8");
      }
    }

    /** Reads a length varint and checks it against the bytes left before {@code end}. */
    private int length(int end, String what) throws DagException {
      long length = varint(end, what + " length");
      if (length > end - pos) {
        throw fail(what + " of " + Long.toUnsignedString(length) + " bytes runs past the end ("
            + (end - pos) + " bytes left)");
      }
      return (int) length;
    }

    /** Reads an unsigned 64-bit protobuf varint ending before {@code end}. */
    private long varint(int end, String what) throws DagException {
      try {
        return Varint.decodeProtobuf(() -> pos < end ? in[pos++] & 0xff : -1);
      } catch (InvalidVarintException e) {
        throw fail(what + ": " + e.getMessage());
      }
    }

    private DagException fail(String message) {
      return new DagException(cid, "malformed dag-pb block " + cid + ": " + message);
    }
  }
}
