package io.cairn.unixfs;

import io.cairn.multiformats.Cid;

/**
 * A UnixFS operation that cannot be done: a malformed node (a truncated Data field, a bogus HAMT), a
 * path through something that is not a directory, a name not found, a bound broken, bad import options,
 * or a block that could not be had. Carries the CID at fault when there is one.
 */
public class UnixFsException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public UnixFsException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public UnixFsException(Cid cid, String message, Throwable cause) {
    super(message, cause);
    this.cid = cid;
  }

  /** The block at fault; null when the failure is not about one block (bad options, say). */
  public Cid cid() {
    return cid;
  }
}
