package io.cairn.unixfs;

import io.cairn.multiformats.Cid;

/**
 * A file or directory once imported: what Kubo's {@code add} prints for it.
 *
 * @param path its path as added ({@code dir/a.txt}); empty for the wrapping directory and for a file
 *     added without a name
 * @param cid its root
 * @param size its cumulative DAG size (every block's bytes), Kubo's {@code Size}
 * @param directory whether it is a directory
 */
public record ImportedEntry(String path, Cid cid, long size, boolean directory) {
}
