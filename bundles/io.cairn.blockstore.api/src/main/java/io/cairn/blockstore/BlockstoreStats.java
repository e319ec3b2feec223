package io.cairn.blockstore;

import java.time.Duration;

/**
 * The blockstore's state (the seed design's BlockstoreStats): the read hit rate of the first tier,
 * mean read and write latency since start, durable batches per second over the last interval, and
 * stored bytes over original bytes in the compressing tiers (1.0 when nothing is compressed).
 */
public record BlockstoreStats(
    double cacheHitRate,
    Duration averageReadLatency,
    Duration averageWriteLatency,
    double batchOperationsPerSec,
    double compressionRatio,
    long blocks,
    long usedBytes,
    long capacityBytes) {
}
