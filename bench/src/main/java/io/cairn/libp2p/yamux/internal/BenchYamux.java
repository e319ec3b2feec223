package io.cairn.libp2p.yamux.internal;

import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.node.config.Configs;
import org.osgi.service.log.Logger;

/** Wires the yamux component by hand for benchmarks outside OSGi, as DS would, with its defaults. */
public final class BenchYamux {
  private BenchYamux() {}

  public static StreamMuxer create(Logger log) {
    return new YamuxMuxer(log, Configs.defaults(YamuxConfig.class));
  }
}
