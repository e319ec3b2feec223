package io.cairn.dag.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn DAG service",
    description = "Reads the links of dag-pb, raw, dag-cbor and dag-json blocks and walks DAGs (pinning, GC marking, refs, CAR export). Bounds every node and walk; changes apply to walks started afterwards.")
@interface DagConfig {
  @AttributeDefinition(name = "Max links per node",
      description = "The most links one block may have; a block with more is refused as malformed rather than held in memory (UnixFS nodes have at most a few thousand; 174 per file node at Kubo's defaults).",
      min = "1", max = "1000000")
  int maxLinksPerNode() default 50_000;

  @AttributeDefinition(name = "Max depth",
      description = "The deepest a DAG may go below a root; a walk that meets a deeper block fails instead of going on (a guard against hostile chains).",
      min = "1", max = "1000000")
  int maxDepth() default 4096;

  @AttributeDefinition(name = "Concurrency",
      description = "Blocks read from the blockstore or fetched through bitswap at a time, per walk: the floor. A walk that fetches keeps more in flight when its bitswap session's window asks for more (sized from the measured delivery rate and round trip; io.cairn.bitswap.client windowMode, windowMin, windowMax), so a pin across a long path fills it; with windowMode=static the walk keeps this number. DFS walks also hold up to twice this (or the window) in arrived blocks.",
      min = "1", max = "4096")
  int concurrency() default 32;
}
