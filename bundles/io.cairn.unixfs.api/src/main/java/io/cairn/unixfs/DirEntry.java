package io.cairn.unixfs;

import io.cairn.multiformats.Cid;

/**
 * One entry of a directory, as its link says (the child itself is not read).
 *
 * @param name the entry's name (for a HAMT, without the shard's hex prefix)
 * @param cid the child
 * @param tsize the link's Tsize: the child's cumulative DAG size as the writer recorded it
 */
public record DirEntry(String name, Cid cid, long tsize) {
}
