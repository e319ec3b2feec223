package io.cairn.net.bandwidth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bandwidth monitor",
    description = "Bytes and rates of libp2p stream payload (Kubo's stats/bw), in total, per peer and per protocol. Rates are moving averages of per-second rates (go-flow-metrics' one-second time constant).")
@interface BandwidthConfig {
  @AttributeDefinition(name = "Forget idle after (s)",
      description = "A peer or protocol that moved no byte for this long is forgotten, so the counters stay bounded by what is active (Kubo keeps every peer's forever); its bytes stay in the total.",
      min = "10", max = "86400")
  int forgetIdleSeconds() default 600;
}
