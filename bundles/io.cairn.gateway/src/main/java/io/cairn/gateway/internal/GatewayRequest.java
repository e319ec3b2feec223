package io.cairn.gateway.internal;

import io.cairn.multiformats.Cid;
import io.cairn.multiformats.MultiformatException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A trustless-gateway request, parsed and negotiated (ipfs/specs trustless-gateway): {@code GET|HEAD
 * /ipfs/{cid}[/{path}]}, the response format from {@code ?format=} (which wins) or {@code Accept}, and the
 * CAR parameters from {@code car-*} query parameters (which win) or the {@code Accept} entry's parameters.
 *
 * @param cid the CID in the path
 * @param path the content path below the CID, without leading slash; empty for none
 * @param format what to answer
 * @param dups whether a CAR repeats blocks met again (car-dups=y)
 * @param scope the CAR's dag-scope
 * @param range the entity-bytes range, or null
 * @param onlyIfCached {@code Cache-Control: only-if-cached}: answer 412 rather than fetch the root
 * @param head a HEAD request: headers only
 */
record GatewayRequest(Cid cid, String path, Format format, boolean dups, Scope scope, EntityBytes range,
    boolean onlyIfCached, boolean head) {
  static final String RAW = "application/vnd.ipld.raw";
  static final String CAR = "application/vnd.ipld.car";
  /** The empty identity CID: the trustless gateway probe. */
  static final String PROBE = "bafkqaaa";

  enum Format {
    RAW, CAR
  }

  /** dag-scope. */
  enum Scope {
    BLOCK, ENTITY, ALL
  }

  /**
   * entity-bytes {@code from:to}: {@code to} inclusive, null for {@code *}; negative values count from the
   * end of the entity.
   */
  record EntityBytes(long from, Long to) {
    /** The inclusive byte range this is within an entity of {@code size} bytes; null if it holds no byte. */
    long[] resolve(long size) {
      long f = from < 0 ? Math.max(0, size + from) : from;
      long t = to == null ? size - 1 : to < 0 ? size + to : Math.min(to, size - 1);
      return f > t || f >= size ? null : new long[] {f, t};
    }

    @Override
    public String toString() {
      return from + ":" + (to == null ? "*" : to);
    }
  }

  /** The request's own content path ({@code X-Ipfs-Path}). */
  String contentPath() {
    return "/ipfs/" + cid + (path.isEmpty() ? "" : "/" + path);
  }

  /**
   * Parses a request.
   *
   * @param method the HTTP method
   * @param rawPath the path as sent (percent-encoded), without the query
   * @param query the query parameters (the first value of each)
   * @param accept the {@code Accept} header, or null
   * @param cacheControl the {@code Cache-Control} header, or null
   * @throws GatewayError 405, 400, 404, 406 or 501 as the spec has them
   */
  static GatewayRequest parse(String method, String rawPath, Map<String, String> query, String accept,
      String cacheControl) throws GatewayError {
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      throw new GatewayError(405, "method " + method + " is not allowed: the gateway answers GET and HEAD");
    }
    String path;
    try {
      // A path's "+" is a plus, not a space: only percent-escapes are decoded.
      path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new GatewayError(400, "malformed percent-encoding in the path: " + e.getMessage());
    }
    if (path.startsWith("/ipns/")) {
      throw new GatewayError(501, "/ipns/ is not served by this gateway: it serves immutable /ipfs/ content");
    }
    if (!path.startsWith("/ipfs/")) {
      throw new GatewayError(404, "not found: the gateway serves /ipfs/{cid}[/{path}]");
    }
    String rest = path.substring("/ipfs/".length());
    int slash = rest.indexOf('/');
    String cidText = slash < 0 ? rest : rest.substring(0, slash);
    String subPath = slash < 0 ? "" : stripSlashes(rest.substring(slash + 1));
    Cid cid;
    try {
      cid = Cid.parse(cidText);
    } catch (MultiformatException e) {
      throw new GatewayError(400, "invalid CID \"" + cidText + "\": " + e.getMessage());
    }
    boolean onlyIfCached = cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("only-if-cached");

    Map<String, String> carParams = new LinkedHashMap<>();
    Format format = fromFormatParameter(query.get("format"));
    Format accepted = null;
    boolean acceptedAnything = false;
    if (accept != null && !accept.isBlank()) {
      for (MediaRange r : MediaRange.parseAll(accept)) {
        if (r.type.equals(RAW)) {
          accepted = Format.RAW;
          break;
        }
        if (r.type.equals(CAR)) {
          acceptedAnything = true;
          if (supportedCarVariant(r.params)) {
            accepted = Format.CAR;
            carParams.putAll(r.params);
            break;
          }
        }
      }
    }
    if (format == null) {
      format = accepted;
    }
    if (format == null) {
      if (acceptedAnything) {
        throw new GatewayError(406, "no CAR variant in Accept is served: this gateway writes CAR version=1, order=dfs "
            + "(or unk), dups=y or n");
      }
      if (cidText.equals(PROBE)) {
        format = Format.RAW;
      } else {
        throw new GatewayError(400, "this is a trustless gateway: ask for " + RAW + " or " + CAR
            + " (an Accept header, or ?format=raw or ?format=car)");
      }
    }
    if (format == Format.RAW) {
      if (!subPath.isEmpty()) {
        throw new GatewayError(400, "raw blocks are served for /ipfs/{cid} only, without a path: ask for a CAR for "
            + "/ipfs/" + cidText + "/" + subPath);
      }
      for (String p : List.of("dag-scope", "entity-bytes", "car-version", "car-order", "car-dups")) {
        if (query.containsKey(p)) {
          throw new GatewayError(400, p + " applies to CAR responses only");
        }
      }
      return new GatewayRequest(cid, "", Format.RAW, false, Scope.BLOCK, null, onlyIfCached, head);
    }

    // CAR: the query's car-* parameters win over the Accept entry's.
    putIfPresent(carParams, "version", query.get("car-version"));
    putIfPresent(carParams, "order", query.get("car-order"));
    putIfPresent(carParams, "dups", query.get("car-dups"));
    String version = carParams.getOrDefault("version", "1");
    if (!version.equals("1")) {
      throw new GatewayError(400, "car-version " + version + " is not served: this gateway writes CAR version 1");
    }
    String order = carParams.getOrDefault("order", "dfs");
    if (!order.equals("dfs") && !order.equals("unk")) {
      throw new GatewayError(400, "car-order " + order + " is not served: dfs (or unk) only");
    }
    String dups = carParams.getOrDefault("dups", "n");
    if (!dups.equals("y") && !dups.equals("n")) {
      throw new GatewayError(400, "car-dups must be y or n, not " + dups);
    }
    EntityBytes range = entityBytes(query.get("entity-bytes"));
    String scopeText = query.get("dag-scope");
    Scope scope = scopeText == null ? (range == null ? Scope.ALL : Scope.ENTITY) : switch (scopeText) {
      case "block" -> Scope.BLOCK;
      case "entity" -> Scope.ENTITY;
      case "all" -> Scope.ALL;
      default -> throw new GatewayError(400, "dag-scope must be block, entity or all, not " + scopeText);
    };
    if (range != null && scope != Scope.ENTITY) {
      throw new GatewayError(400, "entity-bytes implies dag-scope=entity, not dag-scope=" + scopeText);
    }
    return new GatewayRequest(cid, subPath, Format.CAR, dups.equals("y"), scope, range, onlyIfCached, head);
  }

  private static String stripSlashes(String p) {
    int end = p.length();
    while (end > 0 && p.charAt(end - 1) == '/') {
      end--;
    }
    return p.substring(0, end);
  }

  private static void putIfPresent(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static Format fromFormatParameter(String format) throws GatewayError {
    if (format == null) {
      return null;
    }
    return switch (format) {
      case "raw" -> Format.RAW;
      case "car" -> Format.CAR;
      default -> throw new GatewayError(400, "format=" + format + " is not served by this trustless gateway: raw or car");
    };
  }

  /** Whether an Accept entry's CAR parameters name a variant this gateway writes. */
  private static boolean supportedCarVariant(Map<String, String> params) {
    String v = params.getOrDefault("version", "1");
    String o = params.getOrDefault("order", "dfs");
    String d = params.getOrDefault("dups", "n");
    return v.equals("1") && (o.equals("dfs") || o.equals("unk")) && (d.equals("y") || d.equals("n"));
  }

  private static EntityBytes entityBytes(String text) throws GatewayError {
    if (text == null) {
      return null;
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new GatewayError(400, "entity-bytes must be from:to, not " + text);
    }
    try {
      long from = Long.parseLong(text.substring(0, colon));
      String t = text.substring(colon + 1);
      Long to = t.equals("*") ? null : Long.parseLong(t);
      if (to != null && from >= 0 && to >= 0 && to < from) {
        throw new GatewayError(400, "entity-bytes " + text + ": to is before from");
      }
      return new EntityBytes(from, to);
    } catch (NumberFormatException e) {
      throw new GatewayError(400, "entity-bytes must be from:to with integers (to may be *), not " + text);
    }
  }

  /** One entry of an Accept header: its type and parameters, in the client's order of preference. */
  record MediaRange(String type, Map<String, String> params, double q) {
    /**
     * The entries of an Accept header (RFC 9110 12.5.1), most preferred first (equal q keeps the client's
     * order), leaving out those with q=0. Empty list elements are ignored, as the RFC says.
     *
     * @throws GatewayError 400 if the header is not a list of media ranges
     */
    static List<MediaRange> parseAll(String header) throws GatewayError {
      List<MediaRange> out = new ArrayList<>();
      AcceptReader in = new AcceptReader(header);
      while (true) {
        in.skipSpaceAnd(',');
        if (in.atEnd()) {
          break;
        }
        String type = in.token(() -> "a media type (type/subtype)");
        in.expect('/', () -> "'/' between the media type and subtype");
        String subtype = in.token(() -> "a media subtype after '/'");
        Map<String, String> params = new LinkedHashMap<>();
        double q = 1;
        while (true) {
          in.skipSpace();
          if (!in.take(';')) {
            break;
          }
          in.skipSpace();
          if (in.atEnd() || in.peek() == ';' || in.peek() == ',') {
            continue; // an empty parameter, which the RFC allows
          }
          String name = in.token(() -> "a parameter name").toLowerCase(Locale.ROOT);
          in.expect('=', () -> "'=' after the parameter name " + name);
          String value = in.tokenOrQuoted(() -> "the value of " + name);
          if (name.equals("q")) {
            q = qvalue(value);
          } else {
            params.put(name, value);
          }
        }
        in.skipSpace();
        if (!in.atEnd() && in.peek() != ',') {
          throw in.malformed("',' or the end after a media range");
        }
        if (q > 0) {
          out.add(new MediaRange((type + "/" + subtype).toLowerCase(Locale.ROOT), params, q));
        }
      }
      // Stable: equal q keeps the client's order.
      out.sort(Comparator.comparingDouble((MediaRange r) -> r.q).reversed());
      return out;
    }

    /** RFC 9110 12.4.2: {@code 0[.ddd]} or {@code 1[.000]}. */
    private static final Pattern QVALUE = Pattern.compile("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");

    private static double qvalue(String v) throws GatewayError {
      if (!QVALUE.matcher(v).matches()) {
        throw new GatewayError(400, "malformed Accept header: q must be a number from 0 to 1 with at most three "
            + "decimals, not \"" + (v.length() > 16 ? v.substring(0, 16) + "…" : v) + "\"");
      }
      return Double.parseDouble(v);
    }
  }

  /**
   * Reads an Accept header's grammar (RFC 9110 5.6: tokens, quoted strings, optional whitespace). What was
   * expected is given as a supplier: its text is built only for a header that is malformed.
   */
  private static final class AcceptReader {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    private final String s;
    private int i;

    AcceptReader(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return i >= s.length();
    }

    char peek() {
      return s.charAt(i);
    }

    boolean take(char c) {
      if (!atEnd() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void skipSpace() {
      while (!atEnd() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    void skipSpaceAnd(char separator) {
      while (!atEnd() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == separator)) {
        i++;
      }
    }

    void expect(char c, Supplier<String> what) throws GatewayError {
      if (!take(c)) {
        throw malformed(what.get());
      }
    }

    String token(Supplier<String> what) throws GatewayError {
      int start = i;
      while (!atEnd() && isTchar(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        throw malformed(what.get());
      }
      return s.substring(start, i);
    }

    String tokenOrQuoted(Supplier<String> what) throws GatewayError {
      if (!take('"')) {
        return token(what);
      }
      StringBuilder sb = new StringBuilder();
      while (!atEnd()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          if (atEnd()) {
            break;
          }
          c = s.charAt(i++);
        }
        sb.append(c);
      }
      throw malformed("a closing '\"' for " + what.get());
    }

    GatewayError malformed(String expected) {
      return new GatewayError(400, "malformed Accept header: expected " + expected + " at character " + (i + 1));
    }

    private static boolean isTchar(char c) {
      return c < 128 && (Character.isLetterOrDigit(c) || TCHAR_SYMBOLS.indexOf(c) >= 0);
    }
  }
}
