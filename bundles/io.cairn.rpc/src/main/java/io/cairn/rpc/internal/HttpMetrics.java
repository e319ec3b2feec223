package io.cairn.rpc.internal;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.cairn.monitor.MetricNames;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Kubo's {@code ipfs_http_requests_total{method,code,handler="api"}}: a meter per method and status in the
 * node's registry (Prometheus shows a meter as a counter), and its
 * {@code ipfs_http_request_duration_seconds{handler="api"}} summary: a timer (the bridge writes timers in
 * seconds). Kubo's handler label names the API server {@code api}; methods are lower case, as Prometheus'
 * Go client writes them.
 */
final class HttpMetrics {
  static final String HANDLER = "api";
  static final String DURATION = MetricNames.labelled("ipfs_http_request_duration_seconds", "handler", HANDLER);

  private HttpMetrics() {}

  /** @param registry the bound {@code com.codahale.metrics.MetricRegistry} */
  static void count(Object registry, String method, int status, long nanos) {
    MetricRegistry metrics = (MetricRegistry) registry;
    metrics.meter(name(method, status)).mark();
    metrics.timer(DURATION, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()))
        .update(nanos, TimeUnit.NANOSECONDS);
  }

  static String name(String method, int status) {
    return MetricNames.labelled(MetricNames.HTTP_REQUESTS, "method", method.toLowerCase(Locale.ROOT),
        "code", Integer.toString(status), "handler", HANDLER);
  }
}
