package io.cairn.dag.internal;

import io.cairn.dag.DagException;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The links of a dag-cbor block: CBOR tag 42 over a byte string of 0x00 and a binary CID. Reads the
 * encoding iteratively (a count of items left per open array or map, never recursion), with the nesting
 * bounded and every length and count checked against the bytes that remain before anything is taken.
 *
 * <p>As strict as link reading needs and dag-cbor requires of structure: definite lengths only, map keys
 * are strings, no tag but 42, no simple values but false, true and null, one data item and nothing after
 * it. Like the reference decoders, it accepts non-minimal integer heads and floats of any width.
 */
final class DagCborLinks {
  /** How deep arrays and maps may nest. */
  static final int MAX_NESTING = 1024;
  private static final int MAJOR_UINT = 0;
  private static final int MAJOR_NEGINT = 1;
  private static final int MAJOR_BYTES = 2;
  private static final int MAJOR_TEXT = 3;
  private static final int MAJOR_ARRAY = 4;
  private static final int MAJOR_MAP = 5;
  private static final int MAJOR_TAG = 6;
  private static final long TAG_CID = 42;

  private final Cid cid;
  private final byte[] in;
  private final int maxLinks;
  private final List<Cid> links = new ArrayList<>();
  private int pos;
  /** Items still to read in each open container, [1] the outermost; [0] is the top level's one item. */
  private long[] remaining = new long[16];
  private boolean[] isMap = new boolean[16];
  private int depth;

  private DagCborLinks(Cid cid, byte[] in, int maxLinks) {
    this.cid = cid;
    this.in = in;
    this.maxLinks = maxLinks;
  }

  static List<Cid> read(Cid cid, byte[] in, int maxLinks) throws DagException {
    return new DagCborLinks(cid, in, maxLinks).read();
  }

  private List<Cid> read() throws DagException {
    remaining[0] = 1;
    while (depth >= 0) {
      if (remaining[depth] == 0) {
        depth--;
        continue;
      }
      boolean key = isMap[depth] && (remaining[depth] & 1) == 0;
      remaining[depth]--;
      item(key);
    }
    if (pos != in.length) {
      throw fail((in.length - pos) + " bytes after the data item");
    }
    return links;
  }

  private void item(boolean key) throws DagException {
    int initial = head();
    int major = initial >>> 5;
    int info = initial & 31;
    if (key && major != MAJOR_TEXT) {
      throw fail("a map key of major type " + major + " (dag-cbor map keys are strings)");
    }
    switch (major) {
      case MAJOR_UINT, MAJOR_NEGINT -> argument(info);
      case MAJOR_BYTES, MAJOR_TEXT -> skip(argument(info));
      case MAJOR_ARRAY -> open(count(argument(info), 1), false);
      case MAJOR_MAP -> open(2 * count(argument(info), 2), true);
      case MAJOR_TAG -> {
        long tag = argument(info);
        if (tag != TAG_CID) {
          throw fail("tag " + Long.toUnsignedString(tag) + " (dag-cbor allows only tag 42, a CID)");
        }
        link();
      }
      default -> simple(info);
    }
  }

  private int head() throws DagException {
    if (pos >= in.length) {
      throw fail("truncated: a data item is missing at byte " + pos);
    }
    return in[pos++] & 0xFF;
  }

  /** The integer argument of a head: inline, or 1, 2, 4 or 8 bytes that follow. */
  private long argument(int info) throws DagException {
    if (info < 24) {
      return info;
    }
    int size = switch (info) {
      case 24 -> 1;
      case 25 -> 2;
      case 26 -> 4;
      case 27 -> 8;
      case 31 -> throw fail("an indefinite length (dag-cbor allows definite lengths only)");
      default -> throw fail("reserved additional information " + info);
    };
    if (size > in.length - pos) {
      throw fail("truncated integer");
    }
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = value << 8 | (in[pos++] & 0xFF);
    }
    return value;
  }

  /** A count of items, each at least {@code minBytes} bytes long, that must fit in what remains. */
  private long count(long n, int minBytes) throws DagException {
    if (n < 0 || n > (in.length - pos) / minBytes) {
      throw fail("a count of " + Long.toUnsignedString(n) + " items in " + (in.length - pos) + " remaining bytes");
    }
    return n;
  }

  private void skip(long length) throws DagException {
    if (length < 0 || length > in.length - pos) {
      throw fail("a string of " + Long.toUnsignedString(length) + " bytes runs past the end ("
          + (in.length - pos) + " bytes left)");
    }
    pos += (int) length;
  }

  private void open(long items, boolean map) throws DagException {
    if (items == 0) {
      return;
    }
    if (depth == MAX_NESTING) {
      throw fail("arrays and maps nested deeper than " + MAX_NESTING);
    }
    depth++;
    if (depth == remaining.length) {
      remaining = Arrays.copyOf(remaining, Math.min(2 * depth, MAX_NESTING + 1));
      isMap = Arrays.copyOf(isMap, remaining.length);
    }
    remaining[depth] = items;
    isMap[depth] = map;
  }

  private void simple(int info) throws DagException {
    switch (info) {
      case 20, 21, 22 -> {
        // false, true, null
      }
      case 25 -> skip(2);
      case 26 -> skip(4);
      case 27 -> skip(8);
      default -> throw fail("simple value " + info + " (dag-cbor allows false, true, null and floats)");
    }
  }

  /** Tag 42's content: a byte string of 0x00 (the identity multibase prefix) and a binary CID. */
  private void link() throws DagException {
    int initial = head();
    if (initial >>> 5 != MAJOR_BYTES) {
      throw fail("tag 42 over major type " + (initial >>> 5) + ", not a byte string");
    }
    long length = argument(initial & 31);
    if (length < 1 || length > in.length - pos) {
      throw fail("tag 42 over a byte string of " + Long.toUnsignedString(length) + " bytes with "
          + (in.length - pos) + " left");
    }
    if (in[pos] != 0) {
      throw fail("a CID in tag 42 starts 0x" + Integer.toHexString(in[pos] & 0xFF) + ", not 0x00");
    }
    if (links.size() == maxLinks) {
      throw fail("more than " + maxLinks + " links, the most accepted");
    }
    if (length - 1 > Cid.DEFAULT_MAX_LENGTH) {
      throw fail("a CID of " + (length - 1) + " bytes, longer than a CID may be");
    }
    try {
      links.add(Cid.fromBytes(Arrays.copyOfRange(in, pos + 1, pos + (int) length)));
    } catch (MultiformatException e) {
      throw new DagException(cid, "malformed dag-cbor block " + cid + ": tag 42 holds no valid CID: " + e.getMessage(), e);
    }
    pos += (int) length;
  }

  private DagException fail(String message) {
    return new DagException(cid, "malformed dag-cbor block " + cid + ": " + message);
  }
}
