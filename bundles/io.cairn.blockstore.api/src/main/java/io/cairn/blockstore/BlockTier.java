package io.cairn.blockstore;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One storage tier (memory, ssd, hdd, ...), a service with the property {@value #TIER}. The tiered
 * store reads tiers in order, promotes and demotes between them, and never loses a block only one
 * tier holds when that tier goes away.
 */
@ConsumerType
public interface BlockTier extends Blockstore {
  /** Service property: the tier's name, e.g. {@code memory}, {@code ssd}, {@code hdd}. */
  String TIER = "cairn.tier";

  /** Well-known tier names (the seed design's MemoryTier, SSDTier, HDDTier). */
  String MEMORY = "memory";
  String SSD = "ssd";
  String HDD = "hdd";

  String name();

  /** Whether a block put here survives a restart (a memory tier is a cache, never the only copy). */
  boolean persistent();

  TierStats stats();
}
