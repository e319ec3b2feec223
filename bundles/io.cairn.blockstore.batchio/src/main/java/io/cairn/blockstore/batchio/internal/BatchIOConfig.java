package io.cairn.blockstore.batchio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn batch I/O",
    description = "Groups puts per tier into batches, each written with one durable putMany (group commit): a batch closes at Batch size blocks or when its first put is Batch timeout old. The queue is bounded; a put waits while it is full, then fails with MemoryPressureException. Changes apply live, from the next batch, without losing queued puts.")
@interface BatchIOConfig {
  @AttributeDefinition(name = "Batch size",
      description = "Distinct blocks in one batch, one putMany (the seed design's BatchSize: 1000).",
      min = "1", max = "100000")
  int batchSize() default 1000;

  @AttributeDefinition(name = "Batch timeout (ms)",
      description = "A batch that has not filled is written this long after its first put (the seed design's BatchTimeout: 100 ms).",
      min = "1", max = "10000")
  long batchTimeoutMillis() default 100;

  @AttributeDefinition(name = "Max queued blocks",
      description = "Puts held at once, waiting or being written, over all tiers. At least Batch size, else no batch could fill.",
      min = "1", max = "10000000")
  int maxQueuedBlocks() default 10_000;

  @AttributeDefinition(name = "Max queued bytes",
      description = "Block bytes held at once, waiting or being written, over all tiers. A single larger block is still taken when nothing else is queued.",
      min = "1")
  long maxQueuedBytes() default 268_435_456L;

  @AttributeDefinition(name = "Enqueue timeout (ms)",
      description = "How long a put waits for room while the queue is full before it fails with MemoryPressureException; 0 fails at once. Puts are admitted in arrival order.",
      min = "0", max = "600000")
  long enqueueTimeoutMillis() default 10_000;

  @AttributeDefinition(name = "Drain timeout (ms)",
      description = "On stop, how long to wait for the queued and in-flight batches to be written before stopping anyway (logged).",
      min = "0", max = "600000")
  long drainTimeoutMillis() default 30_000;
}
