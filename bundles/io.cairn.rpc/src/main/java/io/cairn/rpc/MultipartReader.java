package io.cairn.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578, RFC 2046) read part by part as it arrives, never held
 * whole: the way kubo-rpc-client and ipfs-cluster upload, streamed with unknown length, one part per
 * file ({@code file}, {@code file-1}, ...). Each part's bytes are an {@link InputStream} that ends where
 * the part ends.
 *
 * <p>Bounded: the preamble and each part's headers may take at most {@link Limits#maxHeaderBytes}, and a
 * body at most {@link Limits#maxParts} parts. A body that breaks the syntax (no boundary, a truncated
 * part, no closing boundary, oversized headers) is a client error: {@link #next} throws an
 * {@link RpcException} of code {@link RpcException.Code#CLIENT}, a part's stream a
 * {@link MalformedBodyException} carrying one (the RPC server answers either with HTTP 400). A part's
 * stream reports its end only once the boundary after it has been read whole, so a caller never takes
 * a truncated part for a complete one.
 *
 * <p>Not thread-safe: one request thread reads it.
 */
public final class MultipartReader {
  /** RFC 2046: a boundary is 1 to 70 characters. */
  static final int MAX_BOUNDARY = 70;
  private static final int BUFFER = 64 * 1024;
  /** Spaces and tabs allowed after a boundary before its line ends (RFC 2046 transport padding). */
  private static final int MAX_PADDING = 64;

  /**
   * How much a body may ask of the server.
   *
   * @param maxHeaderBytes the most bytes of one part's header block (and of the preamble before the first part)
   * @param maxParts the most parts one body may hold
   */
  public record Limits(int maxHeaderBytes, int maxParts) {
    /** 16 KiB of headers a part, a million parts a body (ipfs-cluster sends a whole file's blocks in one body). */
    public static final Limits DEFAULT = new Limits(16 * 1024, 1_000_000);

    /** The most {@code maxHeaderBytes} may be: a header block must fit the reader's buffer. */
    public static final int MAX_HEADER_BYTES = 60 * 1024;

    public Limits {
      if (maxHeaderBytes < 256 || maxHeaderBytes > MAX_HEADER_BYTES || maxParts < 1) {
        throw new IllegalArgumentException("multipart limits out of range: " + maxHeaderBytes + " header bytes (256 to "
            + MAX_HEADER_BYTES + "), " + maxParts + " parts (at least 1)");
      }
    }
  }

  private final InputStream in;
  private final Limits limits;
  private final String boundary;
  /** CRLF "--" boundary: what ends a part. */
  private final byte[] delimiter;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private int lim;
  private boolean eof;
  private boolean started;
  private boolean finished;
  private int parts;
  private Part current;

  private MultipartReader(InputStream in, String boundary, Limits limits) {
    this.in = in;
    this.limits = limits;
    this.boundary = boundary;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * A reader of {@code body}, whose {@code Content-Type} is {@code contentType}.
   *
   * @throws RpcException a client error if the type is not {@code multipart/form-data} with a valid boundary
   */
  public static MultipartReader open(String contentType, InputStream body, Limits limits) throws RpcException {
    if (contentType == null || contentType.isBlank()) {
      throw RpcException.client("expected a multipart/form-data body, but the request has no Content-Type");
    }
    int semi = contentType.indexOf(';');
    String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    if (!type.equals("multipart/form-data")) {
      throw RpcException.client("expected a multipart/form-data body, got Content-Type \"" + type + "\"");
    }
    String boundary = semi < 0 ? null : parameters(contentType.substring(semi + 1)).get("boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw RpcException.client("multipart/form-data Content-Type without a boundary parameter");
    }
    if (boundary.length() > MAX_BOUNDARY || !boundary.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ')
        || boundary.endsWith(" ")) {
      throw RpcException.client("invalid multipart boundary (1 to 70 printable ASCII characters, not ending in a space)");
    }
    return new MultipartReader(body, boundary, limits);
  }

  /**
   * The next part, once the rest of the previous one has been skipped; empty after the closing boundary.
   *
   * @throws RpcException a client error if the body is malformed or holds too many parts
   * @throws IOException if reading the body failed
   */
  public Optional<Part> next() throws RpcException, IOException {
    try {
      if (current != null) {
        current.body.skipToEnd();
        current = null;
      }
      if (!started) {
        started = true;
        readFirstBoundary();
      }
      if (finished) {
        return Optional.empty();
      }
      if (parts == limits.maxParts()) {
        throw RpcException.client("multipart body holds more than " + limits.maxParts() + " parts");
      }
      parts++;
      current = new Part(parts - 1, readHeaders());
      return Optional.of(current);
    } catch (MalformedBodyException e) {
      throw e.error();
    }
  }

  /** A part: its headers and its bytes. */
  public final class Part {
    private final int index;
    private final Map<String, String> headers;
    private final Map<String, String> disposition;
    private final PartStream body = new PartStream();

    private Part(int index, Map<String, String> headers) {
      this.index = index;
      this.headers = headers;
      String d = headers.get("content-disposition");
      this.disposition = d == null ? Map.of() : parameters(d.substring(Math.max(0, d.indexOf(';') + 1)));
    }

    /** Its place in the body, from 0. */
    public int index() {
      return index;
    }

    /** The form field name ({@code Content-Disposition} {@code name}), e.g. {@code file}; empty if none. */
    public String name() {
      return disposition.getOrDefault("name", "");
    }

    /**
     * The file name ({@code Content-Disposition} {@code filename}), URI-decoded as kubo-rpc-client and
     * go-ipfs-cmds encode it; empty if none; as sent if it does not decode.
     */
    public String filename() {
      String raw = disposition.getOrDefault("filename", "");
      try {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return raw;
      }
    }

    /** The part's {@code Content-Type}, or an empty string. */
    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    /** A header by name, any case. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every header, names in lower case, in the order sent (the first of repeated names). */
    public Map<String, String> headers() {
      return headers;
    }

    /**
     * The part's bytes, up to (not including) the boundary that ends it. Valid until {@link #next}; closing
     * it skips the rest. A read that meets a malformed body throws {@link MalformedBodyException}.
     */
    public InputStream body() {
      return body;
    }
  }

  // ---- the parsing

  private void readFirstBoundary() throws IOException {
    // The body opens with "--boundary", or with a preamble (bounded like headers) and then CRLF "--boundary".
    byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    fill(dashBoundary.length);
    if (startsWith(dashBoundary, pos)) {
      pos += dashBoundary.length;
      afterBoundary();
      return;
    }
    // Read no more than needed: a streaming client may send the first part slowly.
    int at;
    while ((at = indexOf(delimiter, pos, lim)) < 0) {
      if (lim - pos > limits.maxHeaderBytes() + delimiter.length) {
        break;
      }
      compact();
      if (!fillMore()) {
        throw malformed("multipart body holds no boundary line \"--" + boundary + "\"");
      }
    }
    if (at < 0 || at - pos > limits.maxHeaderBytes()) {
      throw malformed("multipart body does not start with its boundary within " + limits.maxHeaderBytes() + " bytes");
    }
    pos = at + delimiter.length;
    afterBoundary();
  }

  /** After a boundary: "--" ends the body; otherwise optional padding and CRLF start a part. */
  private void afterBoundary() throws IOException {
    fill(2);
    if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
      pos += 2;
      finished = true;
      return;
    }
    for (int padding = 0; ; padding++) {
      fill(1);
      if (pos == lim) {
        throw malformed("multipart body ends right after a boundary (no closing \"--" + boundary + "--\")");
      }
      byte b = buf[pos];
      if (b == ' ' || b == '\t') {
        if (padding == MAX_PADDING) {
          throw malformed("multipart boundary line too long");
        }
        pos++;
        continue;
      }
      fill(2);
      if (lim - pos >= 2 && b == '\r' && buf[pos + 1] == '\n') {
        pos += 2;
        return;
      }
      throw malformed("multipart boundary not followed by CRLF or \"--\"");
    }
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    int budget = limits.maxHeaderBytes();
    while (true) {
      int end;
      while ((end = indexOf(CRLF, pos, lim)) < 0) {
        if (lim - pos >= budget) {
          throw malformed("multipart part " + parts + ": headers over " + limits.maxHeaderBytes() + " bytes");
        }
        compact();
        if (!fillMore()) {
          throw malformed("multipart body ends inside the headers of part " + parts);
        }
      }
      int length = end - pos;
      budget -= length + 2;
      if (budget < 0) {
        throw malformed("multipart part " + parts + ": headers over " + limits.maxHeaderBytes() + " bytes");
      }
      String line = new String(buf, pos, length, StandardCharsets.UTF_8);
      pos = end + 2;
      if (line.isEmpty()) {
        return Collections.unmodifiableMap(headers);
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw malformed("multipart part " + parts + ": malformed header line \"" + printable(line) + "\"");
      }
      headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** The bytes of the current part: up to the next delimiter, whose suffix is checked before the end is reported. */
  private final class PartStream extends InputStream {
    private boolean ended;
    /** Bytes from {@code pos} known to hold no delimiter start. */
    private int clear;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (!ended) {
        if (clear == 0) {
          scan();
          continue;
        }
        int n = Math.min(len, clear);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        clear -= n;
        return n;
      }
      return -1;
    }

    @Override
    public int available() {
      return clear;
    }

    /** Finds how many bytes from {@code pos} are part data; at a delimiter, consumes it and ends the part. */
    private void scan() throws IOException {
      while (true) {
        fill(delimiter.length + 2);
        int at = indexOf(delimiter, pos, lim);
        if (at == pos) {
          if (!isBoundary(pos + delimiter.length)) {
            // The boundary text followed by something else is data (as Go's reader, Kubo's, takes it).
            clear = 1;
            return;
          }
          pos += delimiter.length;
          afterBoundary();
          ended = true;
          return;
        }
        if (at > pos) {
          clear = at - pos;
          return;
        }
        if (eof) {
          throw malformed("multipart body ends inside part " + (parts - 1) + " (no closing boundary)");
        }
        // What may be the start of a delimiter stays in the buffer until more bytes decide.
        int safe = lim - pos - (delimiter.length - 1);
        if (safe > 0) {
          clear = safe;
          return;
        }
        compact();
        fillMore();
      }
    }

    /**
     * Whether the delimiter text ending at {@code after} is a boundary: followed by padding, a line end,
     * "--", or the end of the body (which {@link #afterBoundary} then reports).
     */
    private boolean isBoundary(int after) {
      if (after >= lim) {
        return true;
      }
      byte c = buf[after];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        return true;
      }
      return c == '-' && (after + 1 >= lim || buf[after + 1] == '-');
    }

    void skipToEnd() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }

    @Override
    public void close() throws IOException {
      // The body is the request's: closing a part only skips the rest of it.
      skipToEnd();
    }
  }

  // ---- the buffer

  /** Reads until at least {@code n} bytes are buffered from {@code pos}, or the body ends. */
  private void fill(int n) throws IOException {
    if (lim - pos >= n) {
      return;
    }
    compact();
    while (lim - pos < n && fillMore()) {
      // keep reading
    }
  }

  /** Reads more into the free end of the buffer; false at the end of the body or with a full buffer. */
  private boolean fillMore() throws IOException {
    if (eof || lim == buf.length) {
      return false;
    }
    int r = in.read(buf, lim, buf.length - lim);
    if (r < 0) {
      eof = true;
      return false;
    }
    lim += r;
    return true;
  }

  private void compact() {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
  }

  private boolean startsWith(byte[] prefix, int at) {
    if (lim - at < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code needle} starts in {@code buf[from, to)}, whole; -1 if nowhere. */
  private int indexOf(byte[] needle, int from, int to) {
    byte first = needle[0];
    for (int i = from; i <= to - needle.length; i++) {
      if (buf[i] == first && startsWith(needle, i)) {
        return i;
      }
    }
    return -1;
  }

  private MalformedBodyException malformed(String message) {
    return new MalformedBodyException(RpcException.client(message));
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** {@code a=b; c="d"} parameters (RFC 7231 quoted strings with backslash escapes); names in lower case. */
  static Map<String, String> parameters(String text) {
    Map<String, String> result = new LinkedHashMap<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && (text.charAt(i) == ';' || text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
        i++;
      }
      int nameStart = i;
      while (i < n && text.charAt(i) != '=' && text.charAt(i) != ';') {
        i++;
      }
      String name = text.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
      if (i >= n || text.charAt(i) == ';') {
        continue;
      }
      i++; // '='
      StringBuilder value = new StringBuilder();
      if (i < n && text.charAt(i) == '"') {
        i++;
        while (i < n && text.charAt(i) != '"') {
          char c = text.charAt(i++);
          if (c == '\\' && i < n) {
            c = text.charAt(i++);
          }
          value.append(c);
        }
        i++; // closing quote
        while (i < n && text.charAt(i) != ';') {
          i++; // anything after the quoted string up to the next parameter
        }
      } else {
        while (i < n && text.charAt(i) != ';') {
          value.append(text.charAt(i++));
        }
        value = new StringBuilder(value.toString().trim());
      }
      if (!name.isEmpty()) {
        result.putIfAbsent(name, value.toString());
      }
    }
    return result;
  }
}
