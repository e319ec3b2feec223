package io.cairn.blockstore.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Cairn file tier",
    description = "A persistent block tier: append-only segment files with CRC32C-checked records, group commit "
        + "(one force per batch) and a MapDB index. One configuration per tier (ssd, hdd, ...).")
@interface FileTierConfig {
  @AttributeDefinition(name = "Tier name",
      description = "The tier's name (service property cairn.tier), e.g. ssd or hdd.")
  String cairn_tier() default "ssd";

  @AttributeDefinition(name = "Read order",
      description = "The tier's place in read order (service property cairn.tier.rank), lower first: memory 0, ssd 100, hdd 200.")
  int cairn_tier_rank() default 100;

  @AttributeDefinition(name = "Path",
      description = "The tier's folder; relative to the node home. Empty: blocks/<tier name>. Fixed while the tier runs.",
      required = false)
  String path() default "";

  @AttributeDefinition(name = "Capacity (bytes)",
      description = "Bytes of records the tier holds at most (the seed design's SSDCacheSize: 50 GB); a write past it fails with DiskSpaceLowException and the tiered store demotes before that.",
      min = "1048576")
  long capacityBytes() default 53_687_091_200L;

  @AttributeDefinition(name = "Minimum free disk space (bytes)",
      description = "Writes fail with DiskSpaceLowException when the file system would keep less than this free; reads go on.",
      min = "0")
  long minFreeBytes() default 1_073_741_824L;

  @AttributeDefinition(name = "Segment size (bytes)",
      description = "A segment file is sealed and a new one begun once it reaches this size.",
      min = "1048576", max = "1073741824")
  int segmentBytes() default 268_435_456;

  @AttributeDefinition(name = "Compaction threshold",
      description = "A sealed segment whose live records are less than this share of it is rewritten in the background.",
      min = "0.0", max = "0.95")
  double compactionThreshold() default 0.5;

  @AttributeDefinition(name = "Compaction interval (ms)",
      description = "How often sealed segments are checked for compaction.",
      min = "100")
  long compactionIntervalMs() default 60_000;

  @AttributeDefinition(name = "Compression",
      description = "Compress blocks as they are written (the seed design's CompressionEnabled). Off by default: IPFS payloads are often compressed already.")
  boolean compressionEnabled() default false;

  @AttributeDefinition(name = "Compression codec",
      description = "The codec (service property cairn.codec) that writes compressed records. Records name their codec, so changing it never makes old blocks unreadable.",
      options = {@Option(label = "lz4", value = "lz4"), @Option(label = "zstd", value = "zstd"),
          @Option(label = "deflate", value = "deflate")})
  String compressionCodec() default "lz4";

  @AttributeDefinition(name = "Compression level",
      description = "1 (fastest) to 9 (smallest), mapped to each codec's own scale (the seed design's CompressionLevel).",
      min = "1", max = "9")
  int compressionLevel() default 3;

  @AttributeDefinition(name = "Minimum saving (%)",
      description = "A block is stored compressed only if that saves at least this share of its size; otherwise raw.",
      min = "0", max = "90")
  int compressionMinSavingsPercent() default 10;

  @AttributeDefinition(name = "Write queue (requests)",
      description = "Write requests waiting for the writer at most; beyond it a put fails with MemoryPressureException (the batch I/O manager in front keeps far fewer).",
      min = "1", max = "1000000")
  int maxQueuedWrites() default 4096;

  @AttributeDefinition(name = "Concurrent reads",
      description = "Reads (get, has, getSize, getStream) the tier runs at once, each on its own I/O thread, at most; more wait their turn. A ceiling: the bitswap engine's lookup limit (128 to 2048) decides how many it asks for. Threads start only as reads need them and end when idle.",
      min = "1", max = "65536")
  int maxConcurrentReads() default 2048;
}
