package io.cairn.blockstore;

/** Thrown (in a failed future) when the block is over the configured maximum size. */
public class BlockTooLargeException extends BlockstoreException {
  private static final long serialVersionUID = 1L;

  public BlockTooLargeException(String message) {
    super(message);
  }
}
