package io.cairn.libp2p.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.monitor.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The host's admission in the node's metric registry, under go-libp2p's resource manager names
 * ({@code p2p/host/resource-manager/stats.go}): {@code libp2p_rcmgr_blocked_resources{dir,scope,resource}},
 * a gauge that only grows there too, with one more label, {@code limit}, naming the config key that refused;
 * and {@code libp2p_rcmgr_connections{dir,scope="transient"}}, the connections mid-upgrade (the monitoring
 * bundle adds {@code scope="system"}). The only class of this bundle that touches {@code com.codahale.metrics}
 * and {@code io.cairn.monitor} (optional imports).
 */
final class AdmissionMetrics implements AutoCloseable {
  static final String BLOCKED = "libp2p_rcmgr_blocked_resources";
  static final String CONNECTIONS = "libp2p_rcmgr_connections";
  static final String UPGRADE_FAILURES = "cairn_libp2p_upgrade_failures";

  private final MetricRegistry registry;
  private final List<String> names = new ArrayList<>();

  /** @param registry a {@code com.codahale.metrics.MetricRegistry} */
  AdmissionMetrics(Object registry, Map<Admission.Limit, LongAdder> blocked, LongAdder upgradeFailures,
      IntSupplier pendingInbound, IntSupplier pendingOutbound) {
    this.registry = (MetricRegistry) registry;
    for (Map.Entry<Admission.Limit, LongAdder> e : blocked.entrySet()) {
      gauge(blockedName(e.getKey()), e.getValue()::sum);
    }
    gauge(MetricNames.labelled(CONNECTIONS, "dir", "inbound", "scope", "transient"), pendingInbound::getAsInt);
    gauge(MetricNames.labelled(CONNECTIONS, "dir", "outbound", "scope", "transient"), pendingOutbound::getAsInt);
    gauge(UPGRADE_FAILURES, upgradeFailures::sum);
  }

  static String blockedName(Admission.Limit limit) {
    return MetricNames.labelled(BLOCKED, "dir", "inbound", "scope", limit.scope, "resource", "connection", "limit", limit.key);
  }

  private void gauge(String name, Gauge<? extends Number> value) {
    // One left by a host that went without unbinding is replaced: this host's counts are the live ones.
    registry.remove(name);
    registry.register(name, value);
    names.add(name);
  }

  Object registry() {
    return registry;
  }

  @Override
  public void close() {
    names.forEach(registry::remove);
  }
}
