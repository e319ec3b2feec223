package io.cairn.gateway.internal;

import io.cairn.bitswap.BitswapTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a fetch that timed out from other failures. The only class that touches the optionally imported
 * bitswap package: a bitswap exception can only be met where bitswap runs, and without the package wired
 * nothing is a bitswap timeout.
 */
final class FetchFailures {
  private FetchFailures() {}

  /** Whether {@code e}, or any of its causes, is a wait for a block that ran out: bitswap's timeout, or a TimeoutException. */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || isBitswapTimeout(t)) {
        return true;
      }
    }
    return false;
  }

  /** The most precise account of {@code e}: the message of its deepest cause that has one. */
  static String deepestMessage(Throwable e) {
    String message = e.toString();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  private static boolean isBitswapTimeout(Throwable t) {
    try {
      return t instanceof BitswapTimeoutException;
    } catch (NoClassDefFoundError bitswapNotWired) {
      return false;
    }
  }
}
