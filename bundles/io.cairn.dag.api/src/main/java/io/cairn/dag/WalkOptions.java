package io.cairn.dag;

import java.time.Duration;

/**
 * How a walk goes.
 *
 * @param maxDepth how deep below a root to go: 0 visits the roots only, -1 means no limit other than
 *     the service's configured bound (a DAG deeper than that bound fails the walk)
 * @param fetch whether blocks missing locally are fetched through one bitswap session (and stored);
 *     false fails the walk at the first missing block
 * @param order {@link Order#DFS} visits in depth-first pre-order, links in their order (what CAR
 *     export needs); {@link Order#ANY} visits as blocks arrive (fastest: pinning, GC marking)
 * @param blockTimeout how long one missing block may take to arrive before the walk fails
 */
public record WalkOptions(int maxDepth, boolean fetch, Order order, Duration blockTimeout) {
  /** The order visits are made in. */
  public enum Order {
    DFS, ANY
  }

  public WalkOptions {
    if (maxDepth < -1) {
      throw new IllegalArgumentException("maxDepth must be -1 (unlimited) or at least 0, got " + maxDepth);
    }
    if (order == null || blockTimeout == null || blockTimeout.isNegative() || blockTimeout.isZero()) {
      throw new IllegalArgumentException("a walk needs an order and a positive block timeout");
    }
  }

  /** Every block, local only, in any order (GC marking, pin verification). */
  public static WalkOptions local() {
    return new WalkOptions(-1, false, Order.ANY, Duration.ofMinutes(1));
  }

  /** Every block, fetching what is missing, in any order (pinning). */
  public static WalkOptions fetching(Duration blockTimeout) {
    return new WalkOptions(-1, true, Order.ANY, blockTimeout);
  }

  public WalkOptions withMaxDepth(int depth) {
    return new WalkOptions(depth, fetch, order, blockTimeout);
  }

  public WalkOptions withOrder(Order o) {
    return new WalkOptions(maxDepth, fetch, o, blockTimeout);
  }
}
