package io.cairn.bitswap.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap engine",
    description = "Serves peers' wantlists from the blockstore: per-peer ledgers, a task queue ordered by the priority strategy, blockstore lookups and bytes in flight bounded by the limits strategy (boxo's decision engine). How a peer's wants are grouped into turns is the batch strategy's. The strategies are services carrying cairn.strategy=<name>: the best ranked is used unless priority.target / limits.target / batch.target select one.")
@interface EngineConfig {
  @AttributeDefinition(name = "Task workers", min = "1", max = "1024",
      description = "Threads that take a peer's next tasks, look the blocks up and send the answer (boxo: 8).")
  int taskWorkerCount() default 8;

  @AttributeDefinition(name = "Max queued wantlist entries per peer", min = "1", max = "1000000",
      description = "Wants kept per peer; past it, a new want evicts a want we lack the block for, or a lower-priority one, or is dropped (boxo: 1024).")
  int maxQueuedWantlistEntriesPerPeer() default 1024;

  @AttributeDefinition(name = "Target message size (bytes)", min = "1024", max = "4194304",
      description = "Blocks and presences are gathered into one message until it reaches this size (boxo: 16 KiB); a larger block goes alone.")
  int targetMessageBytes() default 16 * 1024;

  @AttributeDefinition(name = "Max tasks per envelope", min = "1", max = "10000",
      description = "Tasks a worker takes from one peer in one turn before moving to the next peer, when the batch strategy does not batch (a batch takes its own size).")
  int maxTasksPerEnvelope() default 64;

  @AttributeDefinition(name = "Send block for want-have up to (bytes)", min = "0", max = "4194304",
      description = "A want-have for a block this small is answered with the block itself (boxo: 1024).")
  int maxBlockSizeReplaceHasWithBlock() default 1024;

  @AttributeDefinition(name = "Blockstore timeout (ms)", min = "10", max = "600000",
      description = "A lookup that takes longer counts as a miss.")
  int blockstoreTimeoutMillis() default 10_000;

  @AttributeDefinition(name = "Priority strategy (filter)",
      description = "Which PriorityRequestManager services the engine may use, an LDAP filter on their properties, e.g. (cairn.strategy=static); the best ranked of those matching is used. The engine waits for at least one.")
  String priority_target() default "(cairn.strategy=*)";

  @AttributeDefinition(name = "Limits strategy (filter)",
      description = "Which BitswapLimits services the engine may use, an LDAP filter on their properties, e.g. (cairn.strategy=static); the best ranked of those matching is used. The engine waits for at least one.")
  String limits_target() default "(cairn.strategy=*)";

  @AttributeDefinition(name = "Batch strategy (filter)",
      description = "Which BatchRequestProcessor services the engine may use, an LDAP filter on their properties, e.g. (cairn.strategy=static) for no batching; the best ranked of those matching is used. The engine waits for at least one.")
  String batch_target() default "(cairn.strategy=*)";
}
