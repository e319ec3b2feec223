package io.cairn.bitswap.message;

import io.cairn.multiformats.Cid;
import java.util.Objects;

/**
 * One entry of a wantlist: a want for a block or for news of it, or the cancel of an earlier want.
 *
 * @param cid the block wanted
 * @param priority higher is served first (the wire's int32; boxo's wants count down from 2^31 - 1)
 * @param cancel whether this revokes the sender's want for {@code cid}
 * @param type whether the sender wants the block or only to know whether the receiver has it
 * @param sendDontHave whether the receiver should answer DONT_HAVE when it lacks the block (1.2.0)
 */
public record WantlistEntry(Cid cid, int priority, boolean cancel, WantType type, boolean sendDontHave) {
  /** @throws NullPointerException if {@code cid} or {@code type} is null */
  public WantlistEntry {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }

  /** @return a want for the block itself */
  public static WantlistEntry wantBlock(Cid cid, int priority, boolean sendDontHave) {
    return new WantlistEntry(cid, priority, false, WantType.BLOCK, sendDontHave);
  }

  /** @return a want for news of the block: HAVE, or DONT_HAVE if asked for (bitswap 1.2.0 only) */
  public static WantlistEntry wantHave(Cid cid, int priority, boolean sendDontHave) {
    return new WantlistEntry(cid, priority, false, WantType.HAVE, sendDontHave);
  }

  /** @return the cancel of every earlier want for {@code cid} */
  public static WantlistEntry cancel(Cid cid) {
    return new WantlistEntry(cid, 0, true, WantType.BLOCK, false);
  }
}
