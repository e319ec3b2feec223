package io.cairn.pin;

/** Kubo's pin types, with Kubo's names ({@link #kuboName()}) as {@code pin/ls} shows them. */
public enum PinType {
  /** The block and everything it reaches (within the pin's max depth). */
  RECURSIVE("recursive"),
  /** The block alone. */
  DIRECT("direct"),
  /** Held because a recursive pin reaches it; never stored, always derived. */
  INDIRECT("indirect");

  private final String kuboName;

  PinType(String kuboName) {
    this.kuboName = kuboName;
  }

  public String kuboName() {
    return kuboName;
  }
}
