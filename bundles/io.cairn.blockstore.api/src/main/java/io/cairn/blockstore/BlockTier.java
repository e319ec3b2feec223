package io.cairn.blockstore;

import io.cairn.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One storage tier (memory, ssd, hdd, ...), a service with the property {@value #TIER}. The tiered
 * store reads tiers in order, promotes and demotes between them, and never loses a block only one
 * tier holds when that tier goes away. {@link #keys()} lists oldest first where the tier keeps an
 * order (a persistent tier: write order), which is the order the tiered store demotes in.
 */
@ConsumerType
public interface BlockTier extends Blockstore {
  /** Service property: the tier's name, e.g. {@code memory}, {@code ssd}, {@code hdd}. */
  String TIER = "cairn.tier";
  /**
   * Service property: the tier's place in read order, lower first (integer; memory 0, ssd 100, hdd
   * 200 by default). The first persistent tier in this order takes writes.
   */
  String RANK = "cairn.tier.rank";

  /** Well-known tier names (the seed design's MemoryTier, SSDTier, HDDTier). */
  String MEMORY = "memory";
  String SSD = "ssd";
  String HDD = "hdd";

  String name();

  /** Whether a block put here survives a restart (a memory tier is a cache, never the only copy). */
  boolean persistent();

  TierStats stats();

  /**
   * The block's bytes as a stream. Tiers that store blocks on disk override this to read as the caller
   * consumes, checking the stored checksum when the stream ends; this default serves the whole block.
   */
  default CompletableFuture<InputStream> getStream(Cid cid) {
    return get(cid).thenApply(b -> new ByteArrayInputStream(b.data()));
  }
}
