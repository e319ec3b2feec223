package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.node.NodeIdentity;
import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** Wires the Noise component by hand outside OSGi (load tools, tests), as DS would, with its defaults. */
public final class StandaloneNoise {
  private StandaloneNoise() {}

  public static SecureTransport create(NodeIdentity identity, Logger log) {
    return new NoiseTransport(identity, log, Configs.defaults(NoiseConfig.class));
  }
}
