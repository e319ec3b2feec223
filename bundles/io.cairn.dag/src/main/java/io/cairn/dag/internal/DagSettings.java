package io.cairn.dag.internal;

import io.cairn.node.config.Configs;

/** The validated form of {@link DagConfig}. */
record DagSettings(int maxLinksPerNode, int maxDepth, int concurrency) {
  static DagSettings of(DagConfig c) {
    return new DagSettings(
        (int) Configs.inRange("maxLinksPerNode", c.maxLinksPerNode(), 1, 1_000_000),
        (int) Configs.inRange("maxDepth", c.maxDepth(), 1, 1_000_000),
        (int) Configs.inRange("concurrency", c.concurrency(), 1, 4096));
  }
}
