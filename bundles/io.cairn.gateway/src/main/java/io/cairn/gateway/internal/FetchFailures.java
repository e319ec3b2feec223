package io.cairn.gateway.internal;

import io.cairn.blockstore.BlockFetchTimeoutException;
import java.util.concurrent.TimeoutException;

/** Tells a fetch that timed out (504) from other failures, wherever in a chain of causes it sits. */
final class FetchFailures {
  private FetchFailures() {}

  /** Whether {@code e}, or any of its causes, is a wait for a block that ran out: the block service's, or a TimeoutException. */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof BlockFetchTimeoutException) {
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
}
