package io.cairn.bitswap.spi;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.multiformats.PeerId;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of bitswap peers and their messages (the client and the engine each add one to the
 * {@link BitswapNetwork}). Called on network threads: must not block; hand work that can wait (hashing,
 * blockstore access) to another thread. The message's arrays are the receiver's to keep, not to modify.
 */
@ConsumerType
public interface BitswapReceiver {
  void receive(PeerId from, BitswapMessage message);

  /** A peer that speaks bitswap connected (its first connection). */
  void peerConnected(PeerId peer, BitswapProtocol protocol);

  /** A peer's last connection closed: drop what is kept for it. */
  void peerDisconnected(PeerId peer);

  /** A peer sent a message that could not be decoded; its stream was reset. */
  default void malformedMessage(PeerId from, String reason) {}
}
