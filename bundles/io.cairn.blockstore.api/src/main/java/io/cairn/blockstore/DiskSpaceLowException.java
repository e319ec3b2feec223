package io.cairn.blockstore;

/** Thrown (in a failed future) when free disk space is below the configured threshold, so writes are refused (reads go on). */
public class DiskSpaceLowException extends BlockstoreException {
  private static final long serialVersionUID = 1L;

  public DiskSpaceLowException(String message) {
    super(message);
  }
}
