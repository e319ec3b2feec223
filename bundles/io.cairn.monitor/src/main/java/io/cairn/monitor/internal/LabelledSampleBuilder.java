package io.cairn.monitor.internal;

import io.cairn.monitor.MetricNames;
import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Dropwizard name written by {@link MetricNames#labelled} back into a Prometheus family and
 * labels; the bridge then merges the samples of one family. Other names are the bridge's default.
 */
final class LabelledSampleBuilder implements SampleBuilder {
  private final DefaultSampleBuilder plain = new DefaultSampleBuilder();

  @Override
  public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
      List<String> additionalLabelNames, List<String> additionalLabelValues, double value) {
    MetricNames.Labelled parsed = MetricNames.parse(dropwizardName);
    if (parsed == null || parsed.labels().isEmpty()) {
      return plain.createSample(dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
    }
    List<String> names = new ArrayList<>(parsed.labels().keySet());
    List<String> values = new ArrayList<>(parsed.labels().values());
    names.addAll(additionalLabelNames);
    values.addAll(additionalLabelValues);
    return plain.createSample(parsed.family(), nameSuffix, names, values, value);
  }
}
