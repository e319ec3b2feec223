package io.cairn.blockstore.file.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a commit may add bytes: within the tier's capacity, and leaving the file system its
 * free-space floor. Checked before appending, so a refused put leaves nothing behind; a full disk
 * that slips past (another process wrote meanwhile) shows as an I/O error, told apart by its message.
 */
final class SpaceCheck {
  private final Path dir;
  private final java.nio.file.FileStore fileSystem;
  private final TierCounters counters;

  SpaceCheck(Path dir, TierCounters counters) throws IOException {
    this.dir = dir;
    this.fileSystem = Files.getFileStore(dir);
    this.counters = counters;
  }

  /** Why {@code bytes} more cannot be written with {@code freeSpace} free, or null if they can. */
  String refusal(FileTierSettings s, long bytes, long freeSpace) {
    if (bytes == 0) {
      return null;
    }
    long used = counters.usedBytes();
    if (used + bytes > s.capacityBytes()) {
      return "the " + s.name() + " tier is at its capacity (" + used + " of " + s.capacityBytes()
          + " bytes, capacityBytes)";
    }
    if (freeSpace - bytes < s.minFreeBytes()) {
      return "the file system of " + dir + " has " + freeSpace + " bytes free, and the " + s.name()
          + " tier keeps at least " + s.minFreeBytes() + " (minFreeBytes)";
    }
    return null;
  }

  /** The file system's free bytes; unbounded when it cannot tell, so only the capacity applies. */
  long usableSpace() {
    try {
      return fileSystem.getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  static boolean isNoSpace(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left") || m.contains("Disk quota exceeded");
  }
}
