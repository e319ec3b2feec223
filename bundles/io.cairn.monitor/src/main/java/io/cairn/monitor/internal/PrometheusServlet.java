package io.cairn.monitor.internal;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /debug/metrics/prometheus}, where Kubo serves its metrics, on the same HTTP server as the RPC
 * (the whiteboard's default context, as {@code /api/v0}): the node's {@link MetricRegistry} in the
 * Prometheus text format (0.0.4, or OpenMetrics when the scraper asks for it), through the Prometheus
 * client's Dropwizard bridge.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(PrometheusServlet.PATH)
public class PrometheusServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String PATH = "/debug/metrics/prometheus";

  private final transient CollectorRegistry collectors = new CollectorRegistry();

  @Activate
  public PrometheusServlet(@Reference MetricRegistry registry) {
    collectors.register(new DropwizardExports(registry, new LabelledSampleBuilder()));
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String contentType = TextFormat.chooseContentType(req.getHeader("Accept"));
    // Written whole before the answer starts, so a metric that fails to read is a 500, not a cut-off page.
    StringWriter text = new StringWriter();
    write(text, contentType);
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    resp.setStatus(200);
    resp.setContentType(contentType);
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** Families in name order, so the page reads (and diffs) the same from one scrape to the next. */
  void write(Writer writer, String contentType) throws IOException {
    List<Collector.MetricFamilySamples> families = Collections.list(collectors.metricFamilySamples());
    families.sort(Comparator.comparing(f -> f.name));
    TextFormat.writeFormat(contentType, writer, Collections.enumeration(families));
  }
}
