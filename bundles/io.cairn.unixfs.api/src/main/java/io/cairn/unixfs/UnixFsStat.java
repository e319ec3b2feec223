package io.cairn.unixfs;

import io.cairn.multiformats.Cid;

/**
 * One UnixFS node as the gateway and {@code ls} see it.
 *
 * @param cid the node
 * @param type its type; a raw-codec block is {@link UnixFsType#FILE}
 * @param size a file's length in bytes, a symlink's target length; 0 for directories
 * @param blockSize the size of this node's own block in bytes
 * @param symlinkTarget a symlink's target; empty for anything else
 */
public record UnixFsStat(Cid cid, UnixFsType type, long size, int blockSize, String symlinkTarget) {
}
