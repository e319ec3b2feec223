package io.cairn.unixfs;

import org.osgi.annotation.versioning.ConsumerType;

/** Told how far a file's import has gone, after each chunk (Kubo's {@code progress} events). */
@ConsumerType
@FunctionalInterface
public interface ImportProgress {
  ImportProgress NONE = (path, bytes) -> { };

  /** {@code bytes} of the file at {@code path} have been read so far. */
  void bytes(String path, long bytes);
}
