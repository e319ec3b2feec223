package io.cairn.bitswap.spi;

/** Why a peer's wants went to a worker when they did (the batching metrics' label). */
public enum BatchFlush {
  /** As many wants were queued as the batch takes. */
  FULL,
  /** The hold ran out (the longest-queued want waited the batch timeout, or the peer's wants stopped coming). */
  TIMEOUT,
  /** A want that must not wait was queued (e.g. a critical-class want). */
  URGENT,
  /** No batching: the turn went at once with what was queued (the static strategy, boxo's behaviour). */
  UNBATCHED;

  /** The metric label: the constant's name in lower case. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
