package io.cairn.bitswap.spi;

/**
 * No batching, boxo's engine: a peer's turn goes as soon as it has wants, takes the engine's turn size
 * and looks each want up on its own. The static strategy serves this; the engine falls back to
 * {@link #INSTANCE} when no strategy works.
 */
public final class NoBatching implements BatchRequestProcessor {
  public static final NoBatching INSTANCE = new NoBatching();

  private NoBatching() {}

  @Override
  public Batch plan(PeerTurn peer, long waitedNanos, int turnSize) {
    return new Batch(turnSize, 0, false, BatchFlush.UNBATCHED);
  }
}
