package io.cairn.bitswap.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap engine",
    description = "Serves peers' wantlists from the blockstore: per-peer ledgers, a task queue fair between peers, blockstore workers and bounded bytes in flight per peer (boxo's decision engine, with boxo's defaults).")
@interface EngineConfig {
  @AttributeDefinition(name = "Task workers", min = "1", max = "1024",
      description = "Threads that take a peer's next tasks, look the blocks up and send the answer (boxo: 8).")
  int taskWorkerCount() default 8;

  @AttributeDefinition(name = "Blockstore workers", min = "1", max = "65536",
      description = "Blockstore lookups in flight at once across all peers (the seed's BitswapEngineBlockstoreWorkerCount: 128).")
  int blockstoreWorkerCount() default 128;

  @AttributeDefinition(name = "Max outstanding bytes per peer", min = "65536", max = "1073741824",
      description = "Bytes sent to a peer but not yet written to its connection; a peer at the limit gets nothing more until they are (the seed's MaxOutstandingBytesPerPeer: 1 MiB).")
  long maxOutstandingBytesPerPeer() default 1 << 20;

  @AttributeDefinition(name = "Max queued wantlist entries per peer", min = "1", max = "1000000",
      description = "Wants kept per peer; past it, a new want evicts a want we lack the block for, or a lower-priority one, or is dropped (boxo: 1024).")
  int maxQueuedWantlistEntriesPerPeer() default 1024;

  @AttributeDefinition(name = "Target message size (bytes)", min = "1024", max = "4194304",
      description = "Blocks and presences are gathered into one message until it reaches this size (boxo: 16 KiB); a larger block goes alone.")
  int targetMessageBytes() default 16 * 1024;

  @AttributeDefinition(name = "Max tasks per envelope", min = "1", max = "10000",
      description = "Tasks a worker takes from one peer in one turn before moving to the next peer.")
  int maxTasksPerEnvelope() default 64;

  @AttributeDefinition(name = "Send block for want-have up to (bytes)", min = "0", max = "4194304",
      description = "A want-have for a block this small is answered with the block itself (boxo: 1024).")
  int maxBlockSizeReplaceHasWithBlock() default 1024;

  @AttributeDefinition(name = "Blockstore timeout (ms)", min = "10", max = "600000",
      description = "A lookup that takes longer counts as a miss.")
  int blockstoreTimeoutMillis() default 10_000;
}
