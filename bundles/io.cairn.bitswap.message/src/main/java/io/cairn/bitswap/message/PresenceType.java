package io.cairn.bitswap.message;

/** A peer's answer about a block it was asked for (bitswap 1.2.0). */
public enum PresenceType {
  /** It has the block (wire value 0). */
  HAVE,
  /** It does not have the block (wire value 1). */
  DONT_HAVE
}
