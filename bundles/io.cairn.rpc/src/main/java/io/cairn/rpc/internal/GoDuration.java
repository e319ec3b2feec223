package io.cairn.rpc.internal;

import java.time.Duration;

/** Parses Go's {@code time.ParseDuration} syntax, which Kubo's {@code timeout} option uses: {@code 1h2m3.5s}, {@code 300ms}. */
final class GoDuration {
  /** Longer input is not a duration anyone meant; it also bounds the work. */
  private static final int MAX_LENGTH = 64;

  private GoDuration() {}

  static Duration parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    int i = 0;
    boolean negative = false;
    if (text.charAt(0) == '-' || text.charAt(0) == '+') {
      negative = text.charAt(0) == '-';
      i++;
    }
    double nanos = 0;
    boolean any = false;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      double number;
      try {
        number = Double.parseDouble(text.substring(start, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      int unitStart = i;
      while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
        i++;
      }
      double unit = switch (text.substring(unitStart, i)) {
        case "ns" -> 1;
        case "us", "µs", "μs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        default -> throw new IllegalArgumentException("invalid duration \"" + text + "\": unknown or missing unit");
      };
      nanos += number * unit;
      any = true;
    }
    if (!any || nanos > Long.MAX_VALUE) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    long n = (long) nanos;
    return Duration.ofNanos(negative ? -n : n);
  }
}
