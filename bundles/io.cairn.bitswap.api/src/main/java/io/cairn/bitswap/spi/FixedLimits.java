package io.cairn.bitswap.spi;

import io.cairn.multiformats.PeerId;

/**
 * Limits that never move: boxo's engine (a fixed byte cap per peer, a fixed number of blockstore
 * workers, no global budget). The static strategy serves these with its configured values; the engine
 * falls back to {@link #BOXO} when no strategy works.
 */
public record FixedLimits(long peerOutstandingBytes, long globalOutstandingBytes, int lookupConcurrency)
    implements BitswapLimits {
  /** Boxo's defaults: 1 MiB per peer, no global budget, 128 lookups. */
  public static final FixedLimits BOXO =
      new FixedLimits(BOXO_PEER_OUTSTANDING_BYTES, Long.MAX_VALUE, BOXO_LOOKUP_CONCURRENCY);

  public FixedLimits {
    if (peerOutstandingBytes < 1 || globalOutstandingBytes < 1 || lookupConcurrency < 1) {
      throw new IllegalArgumentException("limits must be positive: " + peerOutstandingBytes + ", "
          + globalOutstandingBytes + ", " + lookupConcurrency);
    }
  }

  @Override
  public long peerOutstandingBytes(PeerId peer) {
    return peerOutstandingBytes;
  }

  @Override
  public void sent(PeerId peer, long bytes, long nanos, boolean ok) {}

  @Override
  public void lookedUp(long nanos, boolean found, int inFlight) {}

  @Override
  public void peerGone(PeerId peer) {}
}
