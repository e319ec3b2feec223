package io.cairn.bitswap.batch.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap batching",
    description = "Groups each peer's wants into batches for the bitswap engine (cairn.strategy=adaptive, ranking 10, above static): a peer's turn waits until its batch is full or its oldest want has waited the batch timeout, whichever first (the seed's 100-1000 requests or 10 ms); a critical want never waits. A batch is looked up in one getSizes and one getMany pass over the blockstore, and only the blocks that fit the peer's byte budget are read. Each peer's batch size moves within [minBatchSize, maxBatchSize]: doubling when a batch fills before its timeout, shrinking by a quarter when a timeout sends one less than half full. Changes apply live.")
@interface AdaptiveBatchingConfig {
  @AttributeDefinition(name = "Smallest batch (wants)", min = "1", max = "10000",
      description = "Where each peer's batch size starts and the least it shrinks to (the seed: 100).")
  int minBatchSize() default 100;

  @AttributeDefinition(name = "Largest batch (wants)", min = "1", max = "10000",
      description = "The most wants one turn takes from one peer (the seed: 1000). At least minBatchSize.")
  int maxBatchSize() default 1000;

  @AttributeDefinition(name = "Batch timeout (ms)", min = "0", max = "100",
      description = "The longest a want waits for its batch to fill (the seed: 10 ms): what batching can add to a lone want's latency. Critical wants never wait. 0: never hold, only look a turn's wants up together.")
  int batchTimeoutMillis() default 10;
}
