package io.cairn.bitswap.server.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * The validated, immutable form of {@link EngineConfig}, passed to the engine whole. The reference
 * targets are applied by DS itself; they are checked here so a bad filter is refused naming its key.
 */
record EngineSettings(int taskWorkerCount, int maxQueuedWantlistEntriesPerPeer, int targetMessageBytes,
    int maxTasksPerEnvelope, int maxBlockSizeReplaceHasWithBlock, int blockstoreTimeoutMillis) {
  static EngineSettings of(EngineConfig c) {
    Configs.inRange("taskWorkerCount", c.taskWorkerCount(), 1, 1024);
    Configs.inRange("maxQueuedWantlistEntriesPerPeer", c.maxQueuedWantlistEntriesPerPeer(), 1, 1_000_000);
    Configs.inRange("targetMessageBytes", c.targetMessageBytes(), 1024, 4 << 20);
    Configs.inRange("maxTasksPerEnvelope", c.maxTasksPerEnvelope(), 1, 10_000);
    Configs.inRange("maxBlockSizeReplaceHasWithBlock", c.maxBlockSizeReplaceHasWithBlock(), 0, 4 << 20);
    Configs.inRange("blockstoreTimeoutMillis", c.blockstoreTimeoutMillis(), 10, 600_000);
    filter("priority.target", c.priority_target());
    filter("limits.target", c.limits_target());
    filter("batch.target", c.batch_target());
    return new EngineSettings(c.taskWorkerCount(), c.maxQueuedWantlistEntriesPerPeer(), c.targetMessageBytes(),
        c.maxTasksPerEnvelope(), c.maxBlockSizeReplaceHasWithBlock(), c.blockstoreTimeoutMillis());
  }

  private static void filter(String key, String value) {
    try {
      FrameworkUtil.createFilter(value);
    } catch (InvalidSyntaxException | RuntimeException e) {
      throw new InvalidConfigException(key, value + " is not an LDAP filter: " + e.getMessage());
    }
  }
}
