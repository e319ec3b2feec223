package io.cairn.blockstore.file.internal;

import io.cairn.blockstore.BlockstoreException;
import java.io.IOException;

/**
 * Set when a write failed in a way that leaves the page cache, the segments or the index not to be
 * trusted (a failed force, an append that could not be undone, an index failure): from then the tier
 * takes no more writes and serves reads until a restart recovers it from its segments.
 */
final class WriteFault {
  private volatile IOException cause;

  void set(IOException e) {
    cause = e;
  }

  boolean isSet() {
    return cause != null;
  }

  BlockstoreException refusal(String tier) {
    IOException c = cause;
    return new BlockstoreException("the " + tier + " tier refuses writes after a failed force (" + c.getMessage()
        + "); restart the node to recover from its segments", c);
  }
}
