package io.cairn.libp2p;

/** Who opened a connection or stream. */
public enum Direction {
  INBOUND, OUTBOUND
}
