package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Host;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The libp2p host's gauges, counted over {@link Host#connections()} at each scrape. The resource
 * manager's names and labels where they mean the same: {@code libp2p_rcmgr_connections{dir,scope="system"}}
 * and {@code libp2p_rcmgr_streams{scope="system"}} (the host counts a connection's streams, not their
 * direction, so streams carry no {@code dir}). What only the host sees, it registers itself when it has
 * the registry: connections refused by its admission limits ({@code libp2p_rcmgr_blocked_resources}) and
 * those mid-upgrade ({@code libp2p_rcmgr_connections{scope="transient"}}).
 */
@Component(service = {}, immediate = true)
public class Libp2pMetrics {
  @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
  volatile Host host;
  private final Gauges gauges;

  @Activate
  public Libp2pMetrics(@Reference MetricRegistry registry) {
    gauges = new Gauges(registry)
        .add("libp2p_rcmgr_connections", count(c -> c.direction() == Direction.INBOUND ? 1 : 0),
            "dir", "inbound", "scope", "system")
        .add("libp2p_rcmgr_connections", count(c -> c.direction() == Direction.OUTBOUND ? 1 : 0),
            "dir", "outbound", "scope", "system")
        .add("libp2p_rcmgr_streams", count(Connection::streamCount), "scope", "system")
        .add("cairn_libp2p_peers", () -> {
          Host h = host;
          return h == null ? null : h.connections().stream().map(Connection::remotePeer).distinct().count();
        });
  }

  private Supplier<Long> count(ToLongFunction<Connection> each) {
    return () -> {
      Host h = host;
      if (h == null) {
        return null;
      }
      long sum = 0;
      for (Connection c : h.connections()) {
        sum += each.applyAsLong(c);
      }
      return sum;
    };
  }

  @Deactivate
  void deactivate() {
    gauges.close();
  }
}
