package io.cairn.dag;

import io.cairn.multiformats.Cid;

/**
 * A block that cannot be taken as a DAG node: malformed bytes, a codec this node cannot read, a bound
 * broken (too many links, too deep), or a block that could not be had. Carries the CID at fault.
 */
public class DagException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public DagException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public DagException(Cid cid, String message, Throwable cause) {
    super(message, cause);
    this.cid = cid;
  }

  /** The block at fault; null when the failure is not about one block. */
  public Cid cid() {
    return cid;
  }
}
