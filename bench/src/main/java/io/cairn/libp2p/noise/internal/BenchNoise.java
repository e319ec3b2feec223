package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.node.NodeIdentity;
import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** Wires the Noise component by hand for benchmarks outside OSGi, as DS would, with its defaults. */
public final class BenchNoise {
  private BenchNoise() {}

  public static SecureTransport create(NodeIdentity identity, Logger log) {
    return new NoiseTransport(identity, log, Configs.defaults(NoiseConfig.class));
  }
}
