package io.cairn.car;

import io.cairn.blockstore.Block;
import java.io.Closeable;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A CAR v1 written section by section after its header. Blocks with identity CIDs are never written (their
 * bytes are in the CID). Not thread-safe. Closing it flushes; the underlying stream stays open (it belongs
 * to the caller).
 */
@ProviderType
public interface CarWriter extends Closeable {
  /** Writes one section; false (and nothing written) for an identity CID. */
  boolean write(Block block) throws IOException;

  /** Pushes what is buffered to the underlying stream and flushes it. */
  void flush() throws IOException;

  /** Bytes written so far, header included. */
  long offset();

  /** Sections written so far. */
  long blocks();
}
