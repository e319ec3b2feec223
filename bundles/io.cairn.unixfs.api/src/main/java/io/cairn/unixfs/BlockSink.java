package io.cairn.unixfs;

import io.cairn.blockstore.Block;
import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/** Takes blocks one at a time, in the order a trustless gateway's CAR lists them. */
@ConsumerType
@FunctionalInterface
public interface BlockSink {
  void accept(Block block) throws IOException;
}
