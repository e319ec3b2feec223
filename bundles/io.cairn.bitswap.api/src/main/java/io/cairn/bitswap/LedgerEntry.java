package io.cairn.bitswap;

import io.cairn.multiformats.PeerId;

/**
 * What was exchanged with one peer since it connected (Kubo's {@code bitswap/ledger}): bytes and
 * blocks each way, and the wants it has with us now.
 */
public record LedgerEntry(PeerId peer, long bytesSent, long bytesReceived, long blocksSent, long blocksReceived,
    int wants, long messagesReceived) {
  /** Kubo's debt ratio: bytes sent over bytes received plus one. */
  public double debtRatio() {
    return (double) bytesSent / (bytesReceived + 1);
  }

  /** Messages (blocks and presences) exchanged, Kubo's {@code Exchanged}. */
  public long exchanged() {
    return blocksSent + blocksReceived;
  }
}
