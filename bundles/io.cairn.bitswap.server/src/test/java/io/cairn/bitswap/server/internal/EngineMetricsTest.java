package io.cairn.bitswap.server.internal;

import static io.cairn.bitswap.server.internal.EngineHarness.block;
import static io.cairn.bitswap.server.internal.EngineHarness.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.bitswap.fixed.internal.StaticPriority;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.WantlistEntry;
import io.cairn.bitswap.priority.internal.ClassPriority;
import io.cairn.bitswap.spi.FixedLimits;
import io.cairn.blockstore.Block;
import io.cairn.multiformats.PeerId;
import io.cairn.testing.Components;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {
  @Test
  void perClassLatencyLimitsAndTheStrategyInUseAreMetricsWithNoNamePerPeer() throws Exception {
    try (EngineHarness h = new EngineHarness(Map.of())) {
      MetricRegistry registry = new MetricRegistry();
      StaticPriority stat = new StaticPriority();
      h.bindPriority(stat, "static", 0);
      h.bindLimits(new FixedLimits(1 << 20, Long.MAX_VALUE, 128), "static", 0);
      Components.call(h.engine, "bindMetrics", registry);
      assertTrue(registry.getGauges().containsKey("cairn_bitswap_strategy{kind=\"priority\",name=\"static\"}"));
      for (int i = 0; i < 3; i++) {
        PeerId p = peer();
        Block b = block("metrics " + i);
        h.store.add(b);
        h.connect(p);
        h.receive(p, BitswapMessage.wants(List.of(WantlistEntry.wantBlock(b.cid(), 1, false))));
        h.next();
      }
      for (int i = 0; i < 1000 && registry.timer("cairn_bitswap_want_latency{class=\"normal\"}").getCount() < 3; i++) {
        Thread.sleep(1);
      }
      assertEquals(3, registry.timer("cairn_bitswap_want_latency{class=\"normal\"}").getCount());
      assertEquals(0, registry.timer("cairn_bitswap_want_latency{class=\"critical\"}").getCount());
      assertTrue(registry.getNames().stream().noneMatch(n -> n.contains("12D3") || n.contains("peer=")),
          "no metric name per peer: " + registry.getNames());
      // The limit gauges read one snapshot of the engine's status (kept 500 ms per scrape), so they are
      // read together, after the peers connected: a gauge read before them would pin a peerless snapshot.
      Gauge<?> max = registry.getGauges().get("cairn_bitswap_limit{limit=\"peer_outstanding_bytes_max\"}");
      assertEquals((long) (1 << 20), max.getValue());
      assertEquals(128L, registry.getGauges().get("cairn_bitswap_limit{limit=\"lookup_concurrency\"}").getValue());
      // A higher-ranked strategy takes over: the metric names it.
      h.bindPriority(Components.createWith(ClassPriority.class, ClassPriority.class.getName(), Map.of(),
          Components.logger()), "classes", 10);
      assertTrue(registry.getGauges().containsKey("cairn_bitswap_strategy{kind=\"priority\",name=\"classes\"}"));
      assertFalse(registry.getGauges().containsKey("cairn_bitswap_strategy{kind=\"priority\",name=\"static\"}"));
      Components.call(h.engine, "unbindMetrics", registry);
      assertTrue(registry.getNames().stream().noneMatch(n -> n.startsWith("cairn_bitswap")), registry.getNames().toString());
    }
  }
}
