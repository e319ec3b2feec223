package io.cairn.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Metric names, and Prometheus labels carried in a Dropwizard name: {@code family{key="value",...}},
 * the form Prometheus itself prints. Names follow Kubo's where the meaning is the same
 * ({@code ipfs_bitswap_*}, {@code libp2p_rcmgr_*}, {@code ipfs_http_requests_total}) and start with
 * {@code cairn_} otherwise.
 */
public final class MetricNames {
  /**
   * Kubo's HTTP request counter (a Dropwizard meter; Prometheus adds {@code _total}): labels
   * {@code method} (lower case), {@code code} and {@code handler}.
   */
  public static final String HTTP_REQUESTS = "ipfs_http_requests";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private MetricNames() {}

  /** A labelled metric's parts. */
  public record Labelled(String family, Map<String, String> labels) {
    public Labelled {
      labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }
  }

  /**
   * The Dropwizard name of {@code family} with the labels given as name, value pairs, in that order.
   * Characters a label value cannot hold in this form ({@code " \ , { }} and line breaks) become {@code _}.
   *
   * @throws IllegalArgumentException for an invalid family or label name, or an odd number of strings
   */
  public static String labelled(String family, String... labelPairs) {
    if (!NAME.matcher(family).matches()) {
      throw new IllegalArgumentException("invalid metric name: \"" + family + "\"");
    }
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in name, value pairs; got " + labelPairs.length + " strings");
    }
    StringBuilder name = new StringBuilder(family).append('{');
    for (int i = 0; i < labelPairs.length; i += 2) {
      if (!LABEL.matcher(labelPairs[i]).matches()) {
        throw new IllegalArgumentException("invalid label name: \"" + labelPairs[i] + "\"");
      }
      if (i > 0) {
        name.append(',');
      }
      name.append(labelPairs[i]).append("=\"").append(labelPairs[i + 1].replaceAll("[\"\\\\,{}\\r\\n]", "_")).append('"');
    }
    return name.append('}').toString();
  }

  /**
   * The family and labels of a name {@link #labelled} made; a name without labels is its own family with
   * none. Null for a malformed labelled name.
   */
  public static Labelled parse(String dropwizardName) {
    int open = dropwizardName.indexOf('{');
    if (open < 0) {
      return new Labelled(dropwizardName, Map.of());
    }
    if (!dropwizardName.endsWith("}")) {
      return null;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    String body = dropwizardName.substring(open + 1, dropwizardName.length() - 1);
    List<String> pairs = body.isEmpty() ? List.of() : new ArrayList<>(List.of(body.split(",", -1)));
    for (String pair : pairs) {
      int eq = pair.indexOf("=\"");
      if (eq <= 0 || !pair.endsWith("\"") || pair.length() < eq + 3) {
        return null;
      }
      String key = pair.substring(0, eq);
      if (!LABEL.matcher(key).matches() || labels.put(key, pair.substring(eq + 2, pair.length() - 1)) != null) {
        return null;
      }
    }
    return new Labelled(dropwizardName.substring(0, open), labels);
  }
}
