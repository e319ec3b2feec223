package io.cairn.bench;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little JSON the load tool writes and reads back: maps (in their iteration order), lists, strings,
 * numbers, booleans and null; reading takes one top-level field by its unique name.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.append('\n').toString();
  }

  private static void write(Object value, StringBuilder out, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double d) {
      // Figures to a tenth; small ones (sub-millisecond latencies, seconds) to a thousandth.
      out.append(d.isNaN() || d.isInfinite() ? "null"
          : String.valueOf(Math.abs(d) >= 100 ? Math.round(d * 10) / 10.0 : Math.round(d * 1000) / 1000.0));
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      // Nested maps and lists of maps (the per-interval series) go one to a line; the rest stays compact.
      boolean multiline = depth == 0;
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(first ? "" : ",").append(multiline ? "\n  " : "");
        first = false;
        string(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out, depth + 1);
      }
      out.append(multiline ? "\n}" : "}");
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",").append(list.get(i) instanceof Map ? "\n    " : "");
        write(list.get(i), out, depth + 1);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not JSON: " + value.getClass());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** @return the first number written under {@code "name":}, or NaN if there is none (or it is null) */
  static double number(String json, String name) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)").matcher(json);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** @return the first string written under {@code "name":}, or null */
  static String string(String json, String name) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }
}
