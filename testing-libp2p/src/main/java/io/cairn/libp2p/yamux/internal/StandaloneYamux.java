package io.cairn.libp2p.yamux.internal;

import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** Wires the yamux component by hand outside OSGi (load tools, tests), as DS would, with its defaults. */
public final class StandaloneYamux {
  private StandaloneYamux() {}

  public static StreamMuxer create(Logger log) {
    return new YamuxMuxer(log, Configs.defaults(YamuxConfig.class));
  }
}
