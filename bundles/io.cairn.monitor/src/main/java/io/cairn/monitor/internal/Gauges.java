package io.cairn.monitor.internal;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.cairn.monitor.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gauges one component registers, removed together when it goes. A gauge reads its value when
 * scraped; a null value (the source went away meanwhile) leaves it out of that scrape.
 */
final class Gauges implements AutoCloseable {
  private final MetricRegistry registry;
  private final List<String> names = new ArrayList<>();

  Gauges(MetricRegistry registry) {
    this.registry = registry;
  }

  synchronized Gauges add(String name, Supplier<? extends Number> value) {
    registry.register(name, (Gauge<Number>) value::get);
    names.add(name);
    return this;
  }

  /** A gauge of {@code family} with labels as name, value pairs (see {@link MetricNames#labelled}). */
  Gauges add(String family, Supplier<? extends Number> value, String... labelPairs) {
    return add(MetricNames.labelled(family, labelPairs), value);
  }

  @Override
  public synchronized void close() {
    names.forEach(registry::remove);
    names.clear();
  }
}
