package io.cairn.unixfs.internal;

import io.cairn.bitswap.Bitswap;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Asks bitswap for a block the blockstore lacks. The only class of this bundle that touches
 * {@code io.cairn.bitswap}, an optional import: the component holds the client as an {@code Object} and
 * calls here only once one is bound, so the bundle loads and runs without the bitswap feature.
 */
final class BitswapFetch {
  private BitswapFetch() {}

  /** The block from peers; the client hash-checks and stores it, and fails the future at the timeout. */
  static CompletableFuture<Block> fetch(Object bitswap, Cid cid, Duration timeout) {
    return ((Bitswap) bitswap).get(cid, timeout);
  }
}
