package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.codahale.metrics.MetricRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {
  @Test
  void countsByLowerCaseMethodAndStatusUnderKubosName() {
    MetricRegistry registry = new MetricRegistry();
    HttpMetrics.count(registry, "POST", 200, 1_000_000);
    HttpMetrics.count(registry, "post", 200, 3_000_000);
    HttpMetrics.count(registry, "GET", 405, 2_000_000);
    Map<String, Long> counts = new java.util.TreeMap<>();
    registry.getMeters().forEach((name, meter) -> counts.put(name, meter.getCount()));
    assertEquals(Map.of(
        "ipfs_http_requests{method=\"post\",code=\"200\",handler=\"api\"}", 2L,
        "ipfs_http_requests{method=\"get\",code=\"405\",handler=\"api\"}", 1L), counts);
    com.codahale.metrics.Timer duration = registry.getTimers().get("ipfs_http_request_duration_seconds{handler=\"api\"}");
    assertEquals(3, duration.getCount());
    assertEquals(3_000_000, duration.getSnapshot().getMax(), "nanoseconds in, as the bridge expects of a timer");
  }
}
