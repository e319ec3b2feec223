package io.cairn.dag;

import io.cairn.blockstore.Block;
import io.cairn.multiformats.Cid;
import java.util.Collection;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Links and walks over the node's blocks. Bounded: a node with more links than the configured maximum,
 * or a DAG deeper than the configured maximum depth, is a {@link DagException}, never an unbounded
 * allocation or recursion.
 */
@ProviderType
public interface DagService {
  /** Whether {@link #links} can read blocks of this codec (dag-pb, raw, dag-cbor, dag-json). */
  boolean supports(long codec);

  /**
   * The CIDs the block links to, in the codec's order (dag-pb: link order; dag-cbor and dag-json: the
   * order met in the encoding); none for raw. Identity CIDs are included (the blockstore answers them
   * from the CID, so walks read them like any block and never fetch them).
   *
   * @throws DagException if the bytes are malformed for the codec, the codec is unsupported, or the
   *     block has more links than the configured maximum
   */
  List<Cid> links(Block block) throws DagException;

  /**
   * Walks from {@code roots}: each reachable block is visited once per walk (a CID met twice is visited
   * the first time only), within {@code options}. Returns at once; the walk runs on the service's
   * threads, with at most the configured number of blocks fetched or read at a time.
   */
  DagWalk walk(Collection<Cid> roots, WalkOptions options, DagVisitor visitor);
}
