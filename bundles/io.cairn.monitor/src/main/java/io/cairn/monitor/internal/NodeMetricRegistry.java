package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import org.osgi.service.component.annotations.Component;

/** The node's one metric registry: every bundle's metrics, served by {@link PrometheusServlet}. */
@Component(service = MetricRegistry.class)
public class NodeMetricRegistry extends MetricRegistry {}
