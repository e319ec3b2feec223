package io.cairn.libp2p;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether the host takes a new inbound connection, before it reads a byte of it (go-libp2p's
 * {@code ConnectionGater.InterceptAccept}): a whiteboard service, asked after the host's own limits
 * admitted the connection. The connection manager refuses inbound connections past its ceiling this way.
 * Called on an event loop for every inbound connection: cheap, never blocking.
 *
 * @since 1.4
 */
@ConsumerType
public interface InboundGate {
  /**
   * Empty to let the connection from {@code remote} in; else why it is refused, naming the limit and its
   * configuration key, for the host's refusal log.
   */
  Optional<String> refuse(InetSocketAddress remote);
}
