package io.cairn.car;

import io.cairn.blockstore.Block;
import java.io.Closeable;
import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A CAR read section by section. Not thread-safe: one thread reads it. Closing it closes the stream.
 */
@ProviderType
public interface CarReader extends Closeable {
  /** The header, read when the reader was made. */
  CarHeader header();

  /**
   * The next block, hash-verified against its CID; null at the clean end of the archive (the end of the
   * stream, or of a CARv2's data payload, between sections).
   *
   * @throws CarFormatException if the section is malformed, truncated, over the limits or its block does
   *     not hash to its CID
   * @throws IOException if the stream fails
   */
  Block next() throws IOException;

  /** Bytes of the stream consumed so far. */
  long offset();

  /** Blocks read so far. */
  long blocks();

  /** Bytes of block data read so far (without CIDs and section lengths). */
  long blockBytes();
}
