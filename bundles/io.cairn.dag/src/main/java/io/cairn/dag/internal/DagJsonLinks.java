package io.cairn.dag.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.cairn.dag.DagException;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The links of a dag-json block: maps of exactly one key, {@code "/"}, whose value is a CID string
 * ({@code {"/": {"bytes": ...}}} is bytes and any other map is a map). A small strict JSON reader (RFC 8259
 * grammar: one value, no trailing commas, no comments, no control characters or invalid escapes in
 * strings), iterative with the nesting bounded; only the strings that may be link keys or CIDs are decoded.
 */
final class DagJsonLinks {
  /** How deep arrays and objects may nest. */
  static final int MAX_NESTING = 1024;

  private final Cid cid;
  private final byte[] in;
  private final int maxLinks;
  private final List<Cid> links = new ArrayList<>();
  private int pos;
  /** Whether each open container is an object; [depth - 1] is the innermost. */
  private boolean[] objects = new boolean[16];
  private int depth;
  /** Whether a value must be read next: the top level's, or the first member's of a container just opened. */
  private boolean valueDue = true;

  private DagJsonLinks(Cid cid, byte[] in, int maxLinks) {
    this.cid = cid;
    this.in = in;
    this.maxLinks = maxLinks;
  }

  static List<Cid> read(Cid cid, byte[] in, int maxLinks) throws DagException {
    return new DagJsonLinks(cid, in, maxLinks).read();
  }

  private List<Cid> read() throws DagException {
    while (valueDue || depth > 0) {
      if (valueDue) {
        valueDue = false;
        value();
        continue;
      }
      int c = next();
      if (c == ',') {
        if (objects[depth - 1]) {
          key();
        }
        valueDue = true;
      } else if (c == (objects[depth - 1] ? '}' : ']')) {
        depth--;
      } else {
        throw unexpected(c, objects[depth - 1] ? "',' or '}'" : "',' or ']'");
      }
    }
    skipSpace();
    if (pos != in.length) {
      throw fail("bytes after the value at byte " + pos);
    }
    return links;
  }

  /** Reads a value; an array or object is opened, its members left to the loop in {@link #read()}. */
  private void value() throws DagException {
    int c = next();
    switch (c) {
      case '{' -> object();
      case '[' -> {
        skipSpace();
        if (pos < in.length && in[pos] == ']') {
          pos++;
        } else {
          open(false);
          valueDue = true;
        }
      }
      case '"' -> skipString();
      case 't' -> literal("rue");
      case 'f' -> literal("alse");
      case 'n' -> literal("ull");
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          number(c);
        } else {
          throw unexpected(c, "a value");
        }
      }
    }
  }

  /** After '{': an empty object, a link, or an object left open after its first member. */
  private void object() throws DagException {
    int c = next();
    if (c == '}') {
      return;
    }
    if (c != '"') {
      throw unexpected(c, "a string key or '}'");
    }
    String firstKey = string();
    colon();
    if (firstKey.equals("/")) {
      skipSpace();
      if (pos < in.length && in[pos] == '"') {
        pos++;
        String target = string();
        skipSpace();
        if (pos < in.length && in[pos] == '}') {
          pos++;
          link(target);
          return;
        }
        open(true);
        return;
      }
    }
    open(true);
    valueDue = true;
  }

  private void key() throws DagException {
    int c = next();
    if (c != '"') {
      throw unexpected(c, "a string key");
    }
    skipString();
    colon();
  }

  private void colon() throws DagException {
    int c = next();
    if (c != ':') {
      throw unexpected(c, "':'");
    }
  }

  private void open(boolean object) throws DagException {
    if (depth == MAX_NESTING) {
      throw fail("arrays and objects nested deeper than " + MAX_NESTING);
    }
    if (depth == objects.length) {
      objects = Arrays.copyOf(objects, Math.min(2 * depth, MAX_NESTING));
    }
    objects[depth++] = object;
  }

  private void link(String target) throws DagException {
    if (links.size() == maxLinks) {
      throw fail("more than " + maxLinks + " links, the most accepted");
    }
    try {
      links.add(Cid.parse(target));
    } catch (MultiformatException e) {
      throw new DagException(cid, "malformed dag-json block " + cid + ": a link {\"/\": ...} holds no valid CID: "
          + e.getMessage(), e);
    }
  }

  private void literal(String rest) throws DagException {
    for (int i = 0; i < rest.length(); i++) {
      if (pos >= in.length || in[pos] != rest.charAt(i)) {
        throw fail("a malformed literal at byte " + pos);
      }
      pos++;
    }
  }

  /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, its first character read. */
  private void number(int first) throws DagException {
    int c = first;
    if (c == '-') {
      c = pos < in.length ? in[pos++] : -1;
    }
    if (c == '0') {
      // a leading zero stands alone
    } else if (c >= '1' && c <= '9') {
      digits(0);
    } else {
      throw fail("a malformed number at byte " + pos);
    }
    if (pos < in.length && in[pos] == '.') {
      pos++;
      digits(1);
    }
    if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
      pos++;
      if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
        pos++;
      }
      digits(1);
    }
  }

  private void digits(int atLeast) throws DagException {
    int start = pos;
    while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
      pos++;
    }
    if (pos - start < atLeast) {
      throw fail("a malformed number at byte " + pos);
    }
  }

  /** Skips a string whose opening quote was read, checking its escapes. */
  private void skipString() throws DagException {
    while (true) {
      int c = stringByte();
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        escape();
      }
    }
  }

  /** Decodes a string whose opening quote was read. */
  private String string() throws DagException {
    StringBuilder s = new StringBuilder();
    int start = pos;
    while (true) {
      int c = stringByte();
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        s.append(new String(in, start, pos - 1 - start, UTF_8));
        s.append(escape());
        start = pos;
      }
    }
    return s.append(new String(in, start, pos - 1 - start, UTF_8)).toString();
  }

  private int stringByte() throws DagException {
    if (pos >= in.length) {
      throw fail("an unterminated string");
    }
    int c = in[pos++] & 0xFF;
    if (c < 0x20) {
      throw fail("a control character in a string at byte " + (pos - 1));
    }
    return c;
  }

  /** Reads the escape after a backslash and returns the character it stands for. */
  private char escape() throws DagException {
    if (pos >= in.length) {
      throw fail("an unterminated escape");
    }
    int c = in[pos++];
    return switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '/' -> '/';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> {
        if (in.length - pos < 4) {
          throw fail("a truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
          int digit = Character.digit(in[pos++], 16);
          if (digit < 0) {
            throw fail("a malformed \\u escape at byte " + (pos - 1));
          }
          value = value << 4 | digit;
        }
        yield (char) value;
      }
      default -> throw fail("an invalid escape \\" + (char) c + " at byte " + (pos - 1));
    };
  }

  /** The next byte that is not JSON whitespace, consumed; -1 at the end. */
  private int next() {
    skipSpace();
    return pos < in.length ? in[pos++] & 0xFF : -1;
  }

  private void skipSpace() {
    while (pos < in.length && (in[pos] == ' ' || in[pos] == '\n' || in[pos] == '\r' || in[pos] == '\t')) {
      pos++;
    }
  }

  private DagException unexpected(int c, String expected) {
    return fail((c < 0 ? "the end" : "'" + (char) c + "' at byte " + (pos - 1)) + " where " + expected + " belongs");
  }

  private DagException fail(String message) {
    return new DagException(cid, "malformed dag-json block " + cid + ": " + message);
  }
}
