package io.cairn.net;

/**
 * Bytes counted since start and rates now, in Kubo's {@code stats/bw} terms.
 *
 * @param totalIn bytes received
 * @param totalOut bytes sent
 * @param rateIn bytes per second received, a moving average of per-second rates
 * @param rateOut bytes per second sent, likewise
 */
public record Bandwidth(long totalIn, long totalOut, double rateIn, double rateOut) {
  public static final Bandwidth NONE = new Bandwidth(0, 0, 0, 0);
}
