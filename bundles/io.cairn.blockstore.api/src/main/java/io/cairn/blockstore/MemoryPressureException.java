package io.cairn.blockstore;

/** Thrown (in a failed future) when the memory tier cannot take the block without exceeding its share of the heap. */
public class MemoryPressureException extends BlockstoreException {
  private static final long serialVersionUID = 1L;

  public MemoryPressureException(String message) {
    super(message);
  }
}
