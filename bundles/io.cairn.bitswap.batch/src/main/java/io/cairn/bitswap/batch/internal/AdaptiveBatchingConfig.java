package io.cairn.bitswap.batch.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap batching",
    description = "Groups each peer's wants into batches for the bitswap engine (cairn.strategy=adaptive, ranking 10, above static): a peer with fewer than minBatchSize wants queued is held until it has that many, or its wants stop coming for lingerMillis, or its oldest want has waited batchTimeoutMillis, whichever first (the seed's 100-1000 requests or 10 ms); a critical want is never held. A turn takes the peer's whole backlog up to maxBatchSize, looked up in one getSizes and one getMany pass over the blockstore, reading only the blocks that fit the peer's byte budget. Changes apply live.")
@interface AdaptiveBatchingConfig {
  @AttributeDefinition(name = "Batch size to wait for (wants)", min = "1", max = "10000",
      description = "A held peer goes as soon as this many of its wants are queued (the seed: 100).")
  int minBatchSize() default 100;

  @AttributeDefinition(name = "Largest batch (wants)", min = "1", max = "10000",
      description = "The most wants one turn takes from one peer: a backlog is taken whole up to this (the seed: 1000). At least minBatchSize.")
  int maxBatchSize() default 1000;

  @AttributeDefinition(name = "Batch timeout (ms)", min = "0", max = "100",
      description = "The longest a want waits for its batch (the seed: 10 ms): the most batching adds to any want's latency. Critical wants never wait. 0: never hold, only look a turn's wants up together.")
  int batchTimeoutMillis() default 10;

  @AttributeDefinition(name = "Linger (ms)", min = "0", max = "100",
      description = "A held peer whose wants stop coming for this long goes without waiting for the timeout, so a client that asks in rounds and waits for the answers loses at most this per round. 0: hold until the batch fills or the timeout.")
  int lingerMillis() default 1;
}
