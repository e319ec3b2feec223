package io.cairn.bitswap.spi;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.multiformats.PeerId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends bitswap messages over libp2p. Messages to one peer go out in order on one stream (reopened
 * if it fails); the future completes once the message is written to the connection, so a sender
 * that waits on it is held back by a slow peer (yamux flow control) instead of buffering without
 * bound. It fails with {@link PeerUnavailableException} when the peer is gone or does not speak
 * bitswap, or when the write does not complete within the send timeout (the stream is then reset).
 */
@ProviderType
public interface BitswapNetwork {
  CompletableFuture<Void> send(PeerId peer, BitswapMessage message);

  /** Connected peers known to speak bitswap. */
  Set<PeerId> peers();

  /** The bitswap version negotiated with a peer, once known. */
  Optional<BitswapProtocol> protocol(PeerId peer);

  /**
   * The round trip to a connected peer as the connection last measured it, empty before it is known or
   * where the network does not measure one. A send completes once written to the connection, so the
   * path's delay is invisible in its completion: this is how a sender sizing what it keeps in flight
   * (a bandwidth-delay product) learns it. Cheap, any thread.
   *
   * @since 1.4
   */
  default Optional<Duration> roundTrip(PeerId peer) {
    return Optional.empty();
  }

  /**
   * Adds a receiver of messages and peer events; it is told at once of the bitswap peers connected
   * now. (Receivers register themselves rather than being services the network binds: the client
   * and engine need the network, so the network cannot need them.)
   */
  void addReceiver(BitswapReceiver receiver);

  void removeReceiver(BitswapReceiver receiver);

  /** Closes the connections to a peer that broke the protocol; {@code reason} is logged. */
  void disconnect(PeerId peer, String reason);
}
