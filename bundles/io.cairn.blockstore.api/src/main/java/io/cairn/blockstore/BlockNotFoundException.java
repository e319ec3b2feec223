package io.cairn.blockstore;

import io.cairn.multiformats.Cid;

/** Thrown (in a failed future) when no block with that CID is stored. */
public class BlockNotFoundException extends BlockstoreException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public BlockNotFoundException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
