package io.cairn.libp2p;

import org.osgi.annotation.versioning.ConsumerType;

/** Told of connections as they are established (secured, muxed, registered) and closed. Must not block. */
@ConsumerType
public interface ConnectionListener {
  default void connected(Connection connection) {}

  default void disconnected(Connection connection) {}
}
