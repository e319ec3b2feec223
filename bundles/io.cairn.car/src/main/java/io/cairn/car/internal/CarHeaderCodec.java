package io.cairn.car.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dag-cbor of a CAR header, {@code {roots: [CID...], version: n}}, and nothing more: a header is the
 * only CBOR a CAR reader must understand, so this reads exactly that shape (definite lengths, CIDs as tag
 * 42 byte strings with the 0x00 prefix) and refuses anything else with a message saying what it met.
 */
final class CarHeaderCodec {
  private static final int MAJOR_UINT = 0;
  private static final int MAJOR_BYTES = 2;
  private static final int MAJOR_TEXT = 3;
  private static final int MAJOR_ARRAY = 4;
  private static final int MAJOR_MAP = 5;
  private static final int MAJOR_TAG = 6;
  private static final int CID_TAG = 42;

  /** What a header said. {@code roots} is null when the header has no roots field (a CARv2 pragma). */
  record Decoded(long version, List<Cid> roots) {
  }

  /** A malformed header; the caller adds the offset. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private final byte[] in;
  private int pos;

  private CarHeaderCodec(byte[] in) {
    this.in = in;
  }

  static Decoded decode(byte[] header) throws Malformed {
    CarHeaderCodec c = new CarHeaderCodec(header);
    long fields = c.head(MAJOR_MAP, "the header");
    Long version = null;
    List<Cid> roots = null;
    for (long i = 0; i < fields; i++) {
      String key = c.text();
      switch (key) {
        case "version" -> {
          if (version != null) {
            throw new Malformed("header has two version fields");
          }
          version = c.head(MAJOR_UINT, "the version");
        }
        case "roots" -> {
          if (roots != null) {
            throw new Malformed("header has two roots fields");
          }
          roots = c.roots();
        }
        default -> throw new Malformed("header has an unknown field \"" + key + "\"");
      }
    }
    if (c.pos != header.length) {
      throw new Malformed((header.length - c.pos) + " bytes follow the header map inside the header");
    }
    if (version == null) {
      throw new Malformed("header has no version");
    }
    return new Decoded(version, roots);
  }

  private List<Cid> roots() throws Malformed {
    long n = head(MAJOR_ARRAY, "roots");
    // Each root takes at least 4 bytes, so a count beyond what is left is a lie, refused before allocating.
    if (n > (in.length - pos) / 4) {
      throw new Malformed("roots claims " + n + " entries in a header of " + in.length + " bytes");
    }
    List<Cid> roots = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      if (head(MAJOR_TAG, "a root") != CID_TAG) {
        throw new Malformed("root " + i + " is not tagged as a CID (tag 42)");
      }
      byte[] bytes = bytes("root " + i);
      if (bytes.length < 2 || bytes[0] != 0) {
        throw new Malformed("root " + i + " lacks the 0x00 prefix of a dag-cbor CID");
      }
      try {
        roots.add(Cid.fromBytes(Arrays.copyOfRange(bytes, 1, bytes.length)));
      } catch (MultiformatException e) {
        throw new Malformed("root " + i + " is not a valid CID: " + e.getMessage());
      }
    }
    return roots;
  }

  private String text() throws Malformed {
    long n = head(MAJOR_TEXT, "a field name");
    if (n > in.length - pos) {
      throw new Malformed("field name runs past the end of the header");
    }
    String s = new String(in, pos, (int) n, StandardCharsets.UTF_8);
    pos += (int) n;
    return s;
  }

  private byte[] bytes(String what) throws Malformed {
    long n = head(MAJOR_BYTES, what);
    if (n > in.length - pos) {
      throw new Malformed(what + " runs past the end of the header");
    }
    byte[] b = Arrays.copyOfRange(in, pos, pos + (int) n);
    pos += (int) n;
    return b;
  }

  /** Reads an item head of the expected major type; its argument (length, count, value or tag). */
  private long head(int major, String what) throws Malformed {
    if (pos >= in.length) {
      throw new Malformed("header ends before " + what);
    }
    int b = in[pos++] & 0xff;
    if (b >>> 5 != major) {
      throw new Malformed(what + " is CBOR major type " + (b >>> 5) + ", expected " + major);
    }
    int info = b & 0x1f;
    if (info < 24) {
      return info;
    }
    int n = switch (info) {
      case 24 -> 1;
      case 25 -> 2;
      case 26 -> 4;
      case 27 -> 8;
      default -> throw new Malformed(what + " has an indefinite or reserved length (not dag-cbor)");
    };
    if (pos + n > in.length) {
      throw new Malformed("header ends inside " + what);
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 8 | (in[pos++] & 0xff);
    }
    if (v < 0) {
      throw new Malformed(what + " is out of range");
    }
    return v;
  }

  /** The dag-cbor header of a CAR v1 naming {@code roots}: keys in dag-cbor order (roots, then version). */
  static byte[] encode(List<Cid> roots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 + 48 * roots.size());
    writeHead(out, MAJOR_MAP, 2);
    writeText(out, "roots");
    writeHead(out, MAJOR_ARRAY, roots.size());
    for (Cid root : roots) {
      byte[] cid = root.toBytes();
      writeHead(out, MAJOR_TAG, CID_TAG);
      writeHead(out, MAJOR_BYTES, cid.length + 1);
      out.write(0);
      out.writeBytes(cid);
    }
    writeText(out, "version");
    writeHead(out, MAJOR_UINT, 1);
    return out.toByteArray();
  }

  private static void writeText(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeHead(out, MAJOR_TEXT, b.length);
    out.writeBytes(b);
  }

  private static void writeHead(ByteArrayOutputStream out, int major, long value) {
    int m = major << 5;
    if (value < 24) {
      out.write(m | (int) value);
    } else if (value < 0x100) {
      out.write(m | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(m | 25);
      out.write((int) (value >>> 8));
      out.write((int) value);
    } else {
      out.write(m | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (value >>> shift));
      }
    }
  }
}
