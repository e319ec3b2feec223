package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.CorruptBlockException;
import io.cairn.multiformats.Cid;
import io.cairn.multiformats.Multicodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Identity CIDs carry their block: the multihash function is the identity (0x00), so its digest is the
 * block's bytes. The store answers them from the CID and never stores them, as boxo's {@code idstore}
 * (which Kubo puts in front of its blockstore) does; every reader of blocks passes through the store, so
 * none needs a case of its own. Their size is bounded before they get here: a {@link Cid} holds at most
 * {@value io.cairn.multiformats.Multihash#DEFAULT_MAX_DIGEST_LENGTH} bytes of identity digest (boxo's
 * {@code verifcid.DefaultMaxIdentityDigestSize}), and a longer one is refused where it is parsed.
 */
final class IdentityBlocks {
  private static final long IDENTITY = Multicodec.IDENTITY.code();

  private IdentityBlocks() {}

  static boolean is(Cid cid) {
    return cid.multihash().code() == IDENTITY;
  }

  /** The block an identity CID carries. */
  static Block of(Cid cid) {
    return new Block(cid, cid.multihash().digest());
  }

  /**
   * The blocks that are stored: those given, less the identity blocks (the list itself when there are
   * none).
   *
   * @throws CorruptBlockException for an identity block whose bytes are not the ones its CID carries
   */
  static List<Block> toStore(List<Block> blocks) {
    List<Block> kept = null;
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (!is(b.cid())) {
        if (kept != null) {
          kept.add(b);
        }
        continue;
      }
      if (!b.verify()) {
        throw new CorruptBlockException(b.cid(), "the " + b.size() + " bytes given for identity CID " + b.cid()
            + " are not the bytes it carries");
      }
      if (kept == null) {
        kept = new ArrayList<>(blocks.subList(0, i));
      }
    }
    return kept == null ? blocks : kept;
  }
}
