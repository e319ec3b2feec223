package io.cairn.unixfs;

import io.cairn.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * UnixFS over the node's blockstore. Reads take blocks from the blockstore and fetch missing ones from
 * peers when the node can. Every read is bounded by the implementation's configured limits (links per
 * directory, HAMT fanout, path depth, DAG depth); a node that breaks them, or is malformed, is a
 * {@link UnixFsException}, never an unbounded allocation.
 */
@ProviderType
public interface UnixFs {
  /**
   * Starts an import with {@code options}.
   *
   * @throws UnixFsException if the options are not supported (a chunker other than {@code size-N}, a hash
   *     other than sha2-256, a CID version other than 0 or 1)
   */
  Importer importer(ImportOptions options, ImportProgress progress) throws UnixFsException;

  /** The node at {@code cid}: its type and size. */
  UnixFsStat stat(Cid cid) throws UnixFsException;

  /**
   * A file's bytes from {@code offset}, at most {@code length} of them (-1: to the end), read block by
   * block as the stream is consumed (a few blocks ahead). Failures while reading surface as
   * {@link IOException}s whose cause is the {@link UnixFsException}. Close it.
   *
   * @throws UnixFsException if {@code cid} is not a file
   */
  InputStream read(Cid cid, long offset, long length) throws UnixFsException;

  /**
   * The entries of a directory, in link order; a HAMT-sharded directory is walked shard by shard, each
   * shard validated (fanout a power of two within the limit, bitfield matching the links).
   *
   * @throws UnixFsException if {@code cid} is not a directory, is malformed, or has more entries than
   *     the configured limit
   */
  void list(Cid cid, Consumer<DirEntry> entries) throws UnixFsException;

  /**
   * Resolves {@code /ipfs/<cid>/a/b}, {@code <cid>/a/b} or {@code /ipfs/<cid>} (directories, HAMT
   * shards looked up by name hash).
   *
   * @throws UnixFsException for a malformed path, a segment through a non-directory, a name not found,
   *     or a path deeper than the configured limit
   */
  ResolvedPath resolve(String path) throws UnixFsException;

  /**
   * Writes Kubo's {@code get} archive of {@code cid}: a tar of the file or the directory tree, its top
   * entry named {@code name}.
   */
  void tar(Cid cid, String name, OutputStream out) throws UnixFsException, IOException;

  /**
   * The blocks of one UnixFS entity, depth-first in link order, as a trustless gateway's
   * {@code dag-scope=entity} CAR holds them: for a file every block needed to read bytes
   * {@code [offset, offset + length)} (length -1: to the end; internal nodes on the way included, leaves
   * outside the range left out: {@code entity-bytes}); for a directory its own block, or for a
   * HAMT-sharded one every shard node (not the entries); for a symlink or raw block the block alone.
   */
  void entityBlocks(Cid cid, long offset, long length, BlockSink sink) throws UnixFsException, IOException;
}
