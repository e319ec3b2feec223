package io.cairn.bitswap.message;

/** What a wantlist entry asks for. */
public enum WantType {
  /** Send the block (wire value 0). */
  BLOCK,
  /** Say whether you have the block (wire value 1; bitswap 1.2.0). */
  HAVE;

  /** An unknown wire value reads as BLOCK, as boxo reads it: the peer still wants the block. */
  static WantType ofWire(int value) {
    return value == 1 ? HAVE : BLOCK;
  }
}
