package io.cairn.bitswap.message;

import io.cairn.multiformats.Cid;
import java.util.Objects;

/**
 * A peer's answer to a want: it has the block, or it does not (bitswap 1.2.0). A presence whose type
 * is unknown on the wire is dropped by the decoder.
 *
 * @param cid the block the answer is about
 * @param type HAVE or DONT_HAVE
 */
public record BlockPresence(Cid cid, PresenceType type) {
  /** @throws NullPointerException if an argument is null */
  public BlockPresence {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }
}
