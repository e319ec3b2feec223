package io.cairn.gateway.internal;

import io.cairn.bitswap.BitswapTimeoutException;

/**
 * Tells a fetch that timed out from other failures. The only class that touches the optionally imported
 * bitswap package: a bitswap exception can only be met where bitswap runs, and without the package wired
 * nothing is a bitswap timeout.
 */
final class FetchFailures {
  private FetchFailures() {}

  /** Whether {@code e}, or any of its causes, is bitswap's timeout. */
  static boolean isTimeout(Throwable e) {
    try {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof BitswapTimeoutException) {
          return true;
        }
      }
      return false;
    } catch (NoClassDefFoundError bitswapNotWired) {
      return false;
    }
  }
}
