package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.BitswapEngine;
import io.cairn.bitswap.ServerStats;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The bitswap engine's counters as gauges, read from {@link BitswapEngine#stats()} at each scrape while an
 * engine runs: {@code ipfs_bitswap_pending_tasks} is boxo's (wants queued in the peers' ledgers), the rest
 * are {@code cairn_bitswap_*}. Boxo's gauges of tasks in flight ({@code ipfs_bitswap_active_tasks},
 * {@code ipfs_bitswap_active_block_tasks}, {@code ipfs_bitswap_pending_block_tasks}) and its send
 * histograms ({@code ipfs_bitswap_sent_all_blocks_bytes}, {@code ipfs_bitswap_send_times}) are not here:
 * only the engine sees those moments, so it registers them in the same registry itself
 * ({@code io.cairn.bitswap.server}'s {@code EngineMetrics}); {@code PrometheusOutputTest} finds both sets
 * on one page.
 */
@Component(service = {}, immediate = true)
public class BitswapServerMetrics {
  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  volatile BitswapEngine engine;
  private final Gauges gauges;

  @Activate
  public BitswapServerMetrics(@Reference MetricRegistry registry) {
    gauges = new Gauges(registry)
        .add("ipfs_bitswap_pending_tasks", stat(ServerStats::queuedTasks))
        .add("cairn_bitswap_blocks_sent", stat(ServerStats::blocksSent))
        .add("cairn_bitswap_data_sent_bytes", stat(ServerStats::dataSent))
        .add("cairn_bitswap_haves_sent", stat(ServerStats::haveSent))
        .add("cairn_bitswap_dont_haves_sent", stat(ServerStats::dontHaveSent))
        .add("cairn_bitswap_messages_received", stat(ServerStats::messagesReceived))
        .add("cairn_bitswap_malformed_messages", stat(ServerStats::malformedMessages))
        .add("cairn_bitswap_peers", stat(ServerStats::peers))
        .add("cairn_bitswap_outstanding_bytes", stat(ServerStats::outstandingBytes));
  }

  private Supplier<Long> stat(ToLongFunction<ServerStats> field) {
    return () -> {
      BitswapEngine e = engine;
      return e == null ? null : field.applyAsLong(e.stats());
    };
  }

  @Deactivate
  void deactivate() {
    gauges.close();
  }
}
