package io.cairn.blockstore;

import io.cairn.multiformats.Cid;

/** Thrown (in a failed future) when a stored block failed its checksum or hash and was not served. */
public class CorruptBlockException extends BlockstoreException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public CorruptBlockException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
