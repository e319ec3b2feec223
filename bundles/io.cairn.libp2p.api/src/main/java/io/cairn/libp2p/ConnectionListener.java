package io.cairn.libp2p;

import org.osgi.annotation.versioning.ConsumerType;

/** Told of connections as they are established (secured, muxed, registered), identified and closed. Must not block. */
@ConsumerType
public interface ConnectionListener {
  default void connected(Connection connection) {}

  default void disconnected(Connection connection) {}

  /**
   * Identify (or an identify push) told us about the peer of an open connection: its protocols,
   * addresses and agent. Called again after every push.
   */
  default void identified(Connection connection, PeerInfo info) {}
}
