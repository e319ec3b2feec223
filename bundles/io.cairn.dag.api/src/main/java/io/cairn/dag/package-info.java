/**
 * IPLD DAGs over the blockstore. {@link io.cairn.dag.DagService} reads the links of a block by its
 * codec (dag-pb, raw, dag-cbor, dag-json) within configured bounds, and walks a DAG from its roots,
 * fetching missing blocks through a bitswap session with bounded concurrency.
 */
@Export
@Version("1.1.0")
package io.cairn.dag;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
