package io.cairn.net;

import io.cairn.multiformats.PeerId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps the number of connections between two watermarks, as go-libp2p's connection manager does: once
 * the count passes high water it closes the connections of the least valuable peers until low water
 * remain, never a protected peer's, nor one still in its grace period after connecting. A peer's value is
 * the sum of the values its tags carry, ordered by the trim order strategy in use (which may weigh the
 * peer's {@link ConnectionQuality} too).
 *
 * <p>Tags and protection may be set before a peer connects (they are kept for a grace period waiting for
 * it). Every method is cheap and never blocks: callers are network threads.
 */
@ProviderType
public interface ConnManager {
  /** Sets {@code tag} on {@code peer} with {@code value} (replacing its previous value). */
  void tagPeer(PeerId peer, String tag, int value);

  /** Removes {@code tag} from {@code peer}. */
  void untagPeer(PeerId peer, String tag);

  /** Sets {@code tag} to {@code upsert} applied to its current value (0 when unset), atomically. */
  void upsertTag(PeerId peer, String tag, IntUnaryOperator upsert);

  /** Protects {@code peer} from trimming under {@code tag} (a peer stays protected while any tag protects it). */
  void protect(PeerId peer, String tag);

  /** Removes the protection of {@code tag}; answers whether another tag still protects the peer. */
  boolean unprotect(PeerId peer, String tag);

  /** Whether {@code tag} protects {@code peer}; with {@code tag} null, whether any tag does. */
  boolean isProtected(PeerId peer, String tag);

  /** The peer's tags, value and connections, if it is connected or tagged. */
  Optional<TagInfo> tagInfo(PeerId peer);

  /** The watermarks, the connection count and when the last trim ran. */
  ConnManagerInfo info();

  /**
   * Trims now as if past high water (grace periods and protection respected; a trim in progress is joined,
   * not repeated); completes with the number of connections it closed.
   */
  CompletableFuture<Integer> trim();
}
