/**
 * The node's metrics. The monitoring bundle registers one Dropwizard
 * {@link com.codahale.metrics.MetricRegistry} service; any bundle that has something to measure takes
 * it as an optional reference and registers its gauges, counters, meters and histograms there. The
 * registry is served to Prometheus at {@code /debug/metrics/prometheus} on the RPC server. Dropwizard
 * names have no labels: {@link io.cairn.monitor.MetricNames#labelled} writes them into the name, and
 * the exporter turns them back into Prometheus labels.
 */
@Export
@Version("1.0.0")
package io.cairn.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
