package io.cairn.rpc.internal;

import com.codahale.metrics.MetricRegistry;
import io.cairn.monitor.MetricNames;
import java.util.Locale;

/**
 * Kubo's {@code ipfs_http_requests_total{method,code,handler="api"}}: a meter per method and status in the
 * node's registry (Prometheus shows a meter as a counter). Kubo's handler label names the API server
 * {@code api}; methods are lower case, as Prometheus' Go client writes them.
 */
final class HttpMetrics {
  static final String HANDLER = "api";

  private HttpMetrics() {}

  /** @param registry the bound {@code com.codahale.metrics.MetricRegistry} */
  static void count(Object registry, String method, int status) {
    ((MetricRegistry) registry).meter(name(method, status)).mark();
  }

  static String name(String method, int status) {
    return MetricNames.labelled(MetricNames.HTTP_REQUESTS, "method", method.toLowerCase(Locale.ROOT),
        "code", Integer.toString(status), "handler", HANDLER);
  }
}
