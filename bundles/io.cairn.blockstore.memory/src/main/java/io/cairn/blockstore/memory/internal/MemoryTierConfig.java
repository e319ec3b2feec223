package io.cairn.blockstore.memory.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn memory tier",
    description = "The memory block tier: a read cache of blocks weighed in bytes (Caffeine, W-TinyLFU eviction). Resized live; shrinking evicts at once.")
@interface MemoryTierConfig {
  @AttributeDefinition(name = "Capacity (bytes)",
      description = "Bytes of block data held (the seed design's MemoryCacheSize: 2 GB). Refused if it exceeds Max heap share of the JVM's maximum heap.",
      min = "0")
  long capacityBytes() default 2_147_483_648L;

  @AttributeDefinition(name = "Max heap share",
      description = "The largest fraction of the JVM's maximum heap the capacity may take, so the cache can never starve the node.",
      min = "0.01", max = "0.9")
  double maxHeapShare() default 0.5;
}
