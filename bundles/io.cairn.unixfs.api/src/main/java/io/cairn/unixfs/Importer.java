package io.cairn.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One import under way ({@link UnixFs#importer}): files and directories are given in any order, each
 * file streamed (chunked, hashed and written in batches as it is read, never held whole), and
 * {@link #finish} builds the directories. Paths are relative, {@code /}-separated
 * ({@code dir/sub/a.txt}); a directory is created by naming it or by a file below it. Not thread-safe.
 */
@ProviderType
public interface Importer {
  /**
   * Imports one file from {@code data} (read to its end, not closed).
   *
   * @param path where it goes; empty for a single unnamed file (then nothing else may be added)
   * @return the file's entry; its blocks are durable once {@link #finish} returns
   * @throws UnixFsException for a bad path, a path given twice, or a failed write
   */
  ImportedEntry addFile(String path, InputStream data) throws UnixFsException, IOException;

  /** Creates an (empty until filled) directory at {@code path}. */
  void addDirectory(String path) throws UnixFsException;

  /**
   * Builds and writes every directory, deepest first, and returns them in Kubo's output order (each
   * directory after its subdirectories; the wrapping directory, if any, last).
   */
  List<ImportedEntry> finish() throws UnixFsException;

  /** The root: the wrapping directory, else the single top-level entry; only after {@link #finish}. */
  ImportedEntry root() throws UnixFsException;
}
