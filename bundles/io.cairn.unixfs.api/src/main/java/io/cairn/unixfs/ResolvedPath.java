package io.cairn.unixfs;

import io.cairn.multiformats.Cid;
import java.util.List;

/**
 * A path resolved from its root.
 *
 * @param root the CID the path starts at
 * @param target the node the whole path names
 * @param traversed every block read on the way, in order: the root, each directory (and each HAMT shard
 *     node passed through), ending with the target; what a trustless gateway's CAR for the path holds
 *     before the target's own blocks
 */
public record ResolvedPath(Cid root, Cid target, List<Cid> traversed) {
  public ResolvedPath {
    traversed = List.copyOf(traversed);
  }
}
