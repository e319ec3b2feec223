package io.cairn.blockstore.file.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.nio.file.Path;

/** The validated form of {@link FileTierConfig}; {@code folder} is resolved against the node home. */
record FileTierSettings(
    String name,
    int rank,
    Path folder,
    long capacityBytes,
    long minFreeBytes,
    int segmentBytes,
    double compactionThreshold,
    long compactionIntervalMs,
    boolean compressionEnabled,
    String compressionCodec,
    int compressionLevel,
    int compressionMinSavingsPercent,
    int maxQueuedWrites,
    int maxConcurrentReads) {

  static FileTierSettings of(FileTierConfig c, Path home) {
    String name = c.cairn_tier() == null ? "" : c.cairn_tier().trim();
    if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new InvalidConfigException("cairn.tier", "'" + c.cairn_tier()
          + "' is not a tier name (lower-case letters, digits, '-' and '_', starting with a letter, at most 32)");
    }
    if (name.equals("memory")) {
      throw new InvalidConfigException("cairn.tier", "'memory' is the memory tier's name");
    }
    String path = c.path() == null ? "" : c.path().trim();
    Path folder;
    try {
      folder = home.resolve(path.isEmpty() ? "blocks/" + name : path).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw new InvalidConfigException("path", "'" + path + "' is not a path: " + e.getMessage());
    }
    Configs.inRange("capacityBytes", c.capacityBytes(), 1L << 20, Long.MAX_VALUE);
    Configs.inRange("minFreeBytes", c.minFreeBytes(), 0, Long.MAX_VALUE);
    Configs.inRange("segmentBytes", c.segmentBytes(), 1L << 20, 1L << 30);
    double threshold = c.compactionThreshold();
    if (!(threshold >= 0 && threshold <= 0.95)) {
      throw new InvalidConfigException("compactionThreshold", threshold + " is outside [0, 0.95]");
    }
    Configs.inRange("compactionIntervalMs", c.compactionIntervalMs(), 100, Long.MAX_VALUE);
    String codec = c.compressionCodec() == null ? "" : c.compressionCodec().trim();
    if (codec.isEmpty()) {
      throw new InvalidConfigException("compressionCodec", "is empty; name a codec such as lz4, zstd or deflate");
    }
    Configs.inRange("compressionLevel", c.compressionLevel(), 1, 9);
    Configs.inRange("compressionMinSavingsPercent", c.compressionMinSavingsPercent(), 0, 90);
    Configs.inRange("maxQueuedWrites", c.maxQueuedWrites(), 1, 1_000_000);
    Configs.inRange("maxConcurrentReads", c.maxConcurrentReads(), 1, 65_536);
    return new FileTierSettings(name, c.cairn_tier_rank(), folder, c.capacityBytes(), c.minFreeBytes(),
        c.segmentBytes(), threshold, c.compactionIntervalMs(), c.compressionEnabled(), codec,
        c.compressionLevel(), c.compressionMinSavingsPercent(), c.maxQueuedWrites(),
        c.maxConcurrentReads());
  }
}
