package io.cairn.bitswap.fixed.internal;

import io.cairn.bitswap.spi.BitswapLimits;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.bitswap.spi.PriorityRequestManager;
import io.cairn.multiformats.PeerId;
import io.cairn.node.config.Configs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The engine's limits held at configured values ({@code cairn.strategy=static}, ranking 0): boxo's
 * fixed per-peer byte cap and lookup count, and no global budget unless one is set. Observations are
 * ignored. A change applies to the engine's next decision.
 */
@Component(configurationPid = StaticLimits.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = {PriorityRequestManager.STRATEGY + "=static", "service.ranking:Integer=0"})
@Designate(ocd = StaticLimitsConfig.class)
public class StaticLimits implements BitswapLimits {
  public static final String PID = "io.cairn.bitswap.static.limits";
  private final Logger log;
  private volatile FixedLimits limits;

  @Activate
  public StaticLimits(@Reference(service = LoggerFactory.class) Logger log, StaticLimitsConfig config) {
    this.log = log;
    limits = Configs.validate(PID, config, StaticLimits::of, log)
        .orElseGet(() -> of(Configs.defaults(StaticLimitsConfig.class)));
  }

  @Modified
  void modified(StaticLimitsConfig config) {
    Configs.validate(PID, config, StaticLimits::of, log).ifPresent(l -> limits = l);
  }

  static FixedLimits of(StaticLimitsConfig c) {
    Configs.inRange("peerOutstandingBytes", c.peerOutstandingBytes(), 65536, 1L << 30);
    Configs.inRange("lookupConcurrency", c.lookupConcurrency(), 1, 65536);
    Configs.inRange("globalOutstandingBytes", c.globalOutstandingBytes(), 0, 1L << 40);
    long global = c.globalOutstandingBytes() == 0 ? Long.MAX_VALUE : c.globalOutstandingBytes();
    return new FixedLimits(c.peerOutstandingBytes(), global, c.lookupConcurrency());
  }

  @Override
  public long peerOutstandingBytes(PeerId peer) {
    return limits.peerOutstandingBytes();
  }

  @Override
  public long globalOutstandingBytes() {
    return limits.globalOutstandingBytes();
  }

  @Override
  public int lookupConcurrency() {
    return limits.lookupConcurrency();
  }

  @Override
  public void sent(PeerId peer, long bytes, long nanos, boolean ok) {}

  @Override
  public void lookedUp(long nanos, boolean found, int inFlight) {}

  @Override
  public void peerGone(PeerId peer) {}
}
