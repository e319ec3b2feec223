package io.cairn.bitswap.fixed.internal;

import io.cairn.bitswap.spi.BitswapLimits;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn bitswap static limits",
    description = "The bitswap engine's limits held fixed (cairn.strategy=static, ranking 0): boxo's defaults unless changed here. Changes apply live.")
@interface StaticLimitsConfig {
  @AttributeDefinition(name = "Max outstanding bytes per peer", min = "65536", max = "1073741824",
      description = "Bytes sent to a peer but not yet written to its connection; a peer at the limit gets nothing more until they are (boxo's MaxOutstandingBytesPerPeer: 1 MiB; Kubo operators use 250 KB to 10 MB).")
  long peerOutstandingBytes() default BitswapLimits.BOXO_PEER_OUTSTANDING_BYTES;

  @AttributeDefinition(name = "Lookups at once", min = "1", max = "65536",
      description = "Blockstore lookups in flight at once across all peers (the seed's BitswapEngineBlockstoreWorkerCount: 128).")
  int lookupConcurrency() default BitswapLimits.BOXO_LOOKUP_CONCURRENCY;

  @AttributeDefinition(name = "Global outstanding bytes", min = "0", max = "1099511627776",
      description = "Bytes in flight to all peers together above which the engine is over capacity and sheds its lowest class; 0: no global budget (boxo has none).")
  long globalOutstandingBytes() default 0;
}
