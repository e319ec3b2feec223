/**
 * UnixFS over the node's blockstore. {@link io.cairn.unixfs.UnixFs} imports files and directories as
 * Kubo's {@code add} does (same input and options, same CIDs), reads files by range, lists directories
 * (HAMT-sharded ones included, validated against malformed shards), resolves {@code /ipfs/} paths, writes
 * Kubo's {@code get} tar, and tells the gateway which blocks make up a UnixFS entity or a byte range of it.
 */
@Export
@Version("1.0.0")
package io.cairn.unixfs;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
