package io.cairn.rpc;

import java.time.Duration;

/** Parses Go's {@code time.ParseDuration} syntax, which Kubo's {@code timeout} option uses: {@code 1h2m3.5s}, {@code 300ms}. */
public final class GoDuration {
  /** Longer input is not a duration anyone meant; it also bounds the work. */
  private static final int MAX_LENGTH = 64;

  private GoDuration() {}

  /** The duration {@code text} denotes; {@link IllegalArgumentException} naming it when it is malformed. */
  public static Duration parse(String text) {
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

  /**
   * {@code duration} as Go's {@code time.Duration.String} writes it, which Kubo's JSON carries (a peer's
   * {@code Latency}): {@code 0s}, {@code 850ns}, {@code 1.5µs}, {@code 12.345678ms}, {@code 1m30s}, {@code 2h0m0s}.
   */
  public static String format(Duration duration) {
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      nanos = duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    // Long.MIN_VALUE has no positive counterpart: Go's own arithmetic is unsigned here too.
    long u = nanos == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(nanos);
    if (u < 1_000) {
      return sign + u + "ns";
    }
    if (u < 1_000_000) {
      return sign + decimal(u, 3) + "µs";
    }
    if (u < 1_000_000_000) {
      return sign + decimal(u, 6) + "ms";
    }
    long seconds = u / 1_000_000_000;
    String secondsPart = decimal(u % 60_000_000_000L, 9) + "s";
    long minutes = seconds / 60;
    if (minutes == 0) {
      return sign + secondsPart;
    }
    long hours = minutes / 60;
    return sign + (hours > 0 ? hours + "h" : "") + (minutes % 60) + "m" + secondsPart;
  }

  /** {@code value / 10^places} with the fraction's trailing zeros (and a bare point) left out. */
  private static String decimal(long value, int places) {
    long scale = 1;
    for (int i = 0; i < places; i++) {
      scale *= 10;
    }
    long whole = value / scale;
    long fraction = value % scale;
    if (fraction == 0) {
      return Long.toString(whole);
    }
    StringBuilder digits = new StringBuilder(Long.toString(fraction + scale).substring(1));
    while (digits.charAt(digits.length() - 1) == '0') {
      digits.setLength(digits.length() - 1);
    }
    return whole + "." + digits;
  }
}
