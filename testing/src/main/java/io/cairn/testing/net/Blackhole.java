package io.cairn.testing.net;

/** What a blackholed {@link Direction} does with the bytes its source sends; the connection stays open either way. */
public enum Blackhole {
  /** Not blackholed: bytes are forwarded as the direction's delay, rate and buffer say. */
  OFF,
  /**
   * Reads and drops everything, including what the link held: the sender's writes keep succeeding and
   * nothing arrives (a path that loses every packet while the peer's kernel still acknowledges).
   */
  SILENT,
  /**
   * Stops reading: the sender's socket buffers fill and then its writes block; what the link held stays
   * held and goes on once the blackhole is lifted (a peer that never reads).
   */
  STUCK
}
