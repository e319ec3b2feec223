package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.Bitswap;
import io.cairn.bitswap.ClientStats;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The bitswap client's gauges, read from {@link Bitswap#stats()} at each scrape, while a client runs.
 * Boxo's names where the meaning is the same; {@code cairn_bitswap_*} for the rest.
 */
@Component(service = {}, immediate = true)
public class BitswapClientMetrics {
  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  volatile Bitswap bitswap;
  private final Gauges gauges;

  @Activate
  public BitswapClientMetrics(@Reference MetricRegistry registry) {
    gauges = new Gauges(registry)
        .add("ipfs_bitswap_blocks_received", stat(ClientStats::blocksReceived))
        .add("ipfs_bitswap_wantlist_total", stat(ClientStats::wants))
        .add("cairn_bitswap_data_received_bytes", stat(ClientStats::dataReceived))
        .add("cairn_bitswap_dup_blocks_received", stat(ClientStats::dupBlocksReceived))
        .add("cairn_bitswap_dup_data_received_bytes", stat(ClientStats::dupDataReceived))
        .add("cairn_bitswap_unwanted_blocks", stat(ClientStats::unwantedBlocks))
        .add("cairn_bitswap_invalid_blocks", stat(ClientStats::invalidBlocks))
        .add("cairn_bitswap_sessions", stat(ClientStats::sessions));
  }

  private Supplier<Long> stat(ToLongFunction<ClientStats> field) {
    return () -> {
      Bitswap b = bitswap;
      return b == null ? null : field.applyAsLong(b.stats());
    };
  }

  @Deactivate
  void deactivate() {
    gauges.close();
  }
}
