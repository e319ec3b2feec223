package io.cairn.unixfs;

/**
 * What a node is, with the UnixFS {@code Data.Type} codes (unixfs.proto), which Kubo's {@code ls} shows as
 * its {@code Type} number. A raw-codec block is a {@link #FILE} (Kubo's view of raw leaves).
 */
public enum UnixFsType {
  RAW(0), DIRECTORY(1), FILE(2), METADATA(3), SYMLINK(4), HAMT_SHARD(5);

  private final int code;

  UnixFsType(int code) {
    this.code = code;
  }

  /** The unixfs.proto {@code DataType} number. */
  public int code() {
    return code;
  }

  /** The type of a code; null for a code unixfs.proto does not define. */
  public static UnixFsType of(long code) {
    for (UnixFsType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** Whether entries can be listed (a plain or a HAMT-sharded directory). */
  public boolean isDirectory() {
    return this == DIRECTORY || this == HAMT_SHARD;
  }

  /** Whether it has bytes to read (a file or an old-style raw node). */
  public boolean isFile() {
    return this == FILE || this == RAW;
  }
}
