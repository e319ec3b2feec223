package io.cairn.blockstore.batchio.internal;

import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** The batch I/O manager with its default configuration, for benchmarks outside its package. */
public final class BenchBatchIO {
  private BenchBatchIO() {}

  public static BatchIOComponent withDefaults(Logger log) {
    return new BatchIOComponent(log, Configs.defaults(BatchIOConfig.class));
  }

  /** Stops it, as DS does. */
  public static void close(BatchIOComponent manager) {
    manager.deactivate();
  }
}
