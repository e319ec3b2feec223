package io.cairn.dag;

import io.cairn.blockstore.Block;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Sees each block of a walk once. Calls are made one at a time (never concurrently), from the walker's
 * threads; a visitor must not block for long, since the walk waits for it.
 */
@ConsumerType
@FunctionalInterface
public interface DagVisitor {
  /**
   * Visits one block, reached at {@code depth} (a root is at 0).
   *
   * @return whether to go on below this block (false: its links are not followed)
   * @throws DagException to fail the walk with it
   */
  boolean visit(Block block, int depth) throws DagException;
}
