package io.cairn.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The report of bench/pin-distance.sh (issue 13, benchmark 1: pin across distance):
 *
 * <pre>
 * report --runs RUNS.tsv --paths PATHS.tsv --meta META.txt --out DIR
 * </pre>
 *
 * RUNS.tsv: one measurement a line, {@code run path kind mbPerSec seconds pingMs} (tab-separated; kind is
 * {@code fresh}, {@code warm} or {@code load}, the load tool's line has path {@code load} and ping {@code -}).
 * PATHS.tsv: {@code name proxy oneWayDelayMs rateBytesPerSec bufferBytes} in the order the script ran them,
 * the first being the reference ("direct"). META.txt: {@code key=value} lines copied into the report.
 * Writes DIR/pin-distance.json (every run and the medians, each path's warm median as a share of the
 * first path's, of the load tool's and of its cap; its fresh median as a share of its warm one) and
 * DIR/pin-distance.png, and prints a Markdown table.
 */
public final class PinDistance {
  private record PathSpec(String name, boolean proxy, double oneWayDelayMs, long rate, long buffer) {}

  private record Run(int run, String path, String kind, double mbPerSec, double seconds, double pingMs) {}

  private PinDistance() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 9 || !args[0].equals("report")) {
      System.err.println("usage: PinDistance report --runs RUNS.tsv --paths PATHS.tsv --meta META.txt --out DIR");
      System.exit(2);
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      o.put(args[i], args[i + 1]);
    }
    System.out.print(report(Path.of(o.get("--runs")), Path.of(o.get("--paths")), Path.of(o.get("--meta")),
        Path.of(o.get("--out"))));
  }

  /** @return the Markdown table */
  static String report(Path runsFile, Path pathsFile, Path metaFile, Path out) throws IOException {
    List<PathSpec> paths = new ArrayList<>();
    for (String line : lines(pathsFile)) {
      String[] f = line.split("\t");
      paths.add(new PathSpec(f[0], f[1].equals("yes"), Double.parseDouble(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
    }
    List<Run> runs = new ArrayList<>();
    for (String line : lines(runsFile)) {
      String[] f = line.split("\t");
      runs.add(new Run(Integer.parseInt(f[0]), f[1], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[4]),
          f[5].equals("-") ? Double.NaN : Double.parseDouble(f[5])));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "pin-distance");
    for (String line : lines(metaFile)) {
      int eq = line.indexOf('=');
      String value = line.substring(eq + 1);
      report.put(line.substring(0, eq), value.matches("-?[0-9]{1,18}") ? (Object) Long.parseLong(value) : value);
    }
    double load = median(values(runs, "load", "load"));
    Map<String, Object> loadReport = new LinkedHashMap<>();
    loadReport.put("what", "bench/bitswap-load.sh's tool, one connection (--peers 1), 256 KiB raw blocks, from the same server A, direct");
    loadReport.put("runsMbPerSec", values(runs, "load", "load"));
    loadReport.put("medianMbPerSec", load);
    report.put("load", loadReport);

    double direct = paths.isEmpty() ? Double.NaN : median(values(runs, paths.get(0).name(), "warm"));
    List<Map<String, Object>> pathReports = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    table.append("| path | ping ms | fresh MB/s | warm MB/s | warm / ").append(paths.isEmpty() ? "-" : paths.get(0).name())
        .append(" | warm / load tool | warm / cap | fresh / warm |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (PathSpec p : paths) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("proxy", p.proxy());
      m.put("oneWayDelayMs", p.oneWayDelayMs());
      m.put("rateBytesPerSec", p.rate());
      m.put("bufferBytes", p.buffer());
      List<Double> pings = new ArrayList<>();
      for (Run r : runs) {
        if (r.path().equals(p.name()) && r.kind().equals("warm") && !Double.isNaN(r.pingMs())) {
          pings.add(r.pingMs());
        }
      }
      m.put("pingMs", pings);
      double ping = median(pings);
      m.put("pingMedianMs", ping);
      double fresh = median(values(runs, p.name(), "fresh"));
      double warm = median(values(runs, p.name(), "warm"));
      double cap = p.rate() > 0 ? p.rate() / 1e6 : Double.NaN;
      m.put("freshRunsMbPerSec", values(runs, p.name(), "fresh"));
      m.put("freshMedianMbPerSec", fresh);
      m.put("warmRunsMbPerSec", values(runs, p.name(), "warm"));
      m.put("warmMedianMbPerSec", warm);
      m.put("warmOfFirstPath", warm / direct);
      m.put("warmOfLoad", warm / load);
      m.put("warmOfCap", warm / cap);
      m.put("freshOfWarm", fresh / warm);
      pathReports.add(m);
      table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", p.name(), fmt(ping, "%.1f"),
          fmt(fresh, "%.1f"), fmt(warm, "%.1f"), pct(warm / direct), pct(warm / load), pct(warm / cap), pct(fresh / warm)));
    }
    report.put("paths", pathReports);
    table.append(String.format(Locale.ROOT, "| load tool, 1 connection, 256 KiB | | | %s | | | | |%n", fmt(load, "%.1f")));

    Files.createDirectories(out);
    Files.writeString(out.resolve("pin-distance.json"), Json.write(report), StandardCharsets.UTF_8);
    chart(out.resolve("pin-distance.png"), String.valueOf(report.getOrDefault("title", "pin across distance")),
        String.valueOf(report.getOrDefault("subtitle", "")), paths, runs, load);
    return table.toString();
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  private static List<Double> values(List<Run> runs, String path, String kind) {
    return runs.stream().filter(r -> r.path().equals(path) && r.kind().equals(kind)).map(Run::mbPerSec).toList();
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, format, v);
  }

  private static String pct(double v) {
    return fmt(v * 100, "%.0f%%");
  }

  // ---- the chart: per path, the fresh and warm medians as bars (each run a dot), the load tool's median as a line

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 600;
  private static final int LEFT = 80;
  private static final int RIGHT = 40;
  private static final int TOP = 90;
  private static final int BOTTOM = 80;
  private static final Color FRESH = new Color(0xaec7e8);
  private static final Color WARM = new Color(0x1f77b4);
  private static final Color LOAD = new Color(0xd62728);

  private static void chart(Path png, String title, String subtitle, List<PathSpec> paths, List<Run> runs, double load)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, LEFT, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(subtitle, LEFT, 44);
      legend(g);
      double max = Double.isNaN(load) ? 0 : load;
      for (Run r : runs) {
        max = Math.max(max, r.mbPerSec());
      }
      for (PathSpec p : paths) {
        // A cap within twice the highest figure is drawn; a far higher one would flatten the bars.
        if (p.rate() > 0 && p.rate() / 1e6 <= 2 * max) {
          max = Math.max(max, p.rate() / 1e6);
        }
      }
      max = LoadChart.niceCeiling(max);
      int plotW = WIDTH - LEFT - RIGHT;
      int plotH = HEIGHT - TOP - BOTTOM;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      for (int i = 0; i <= 5; i++) {
        int y = TOP + plotH - i * plotH / 5;
        g.setColor(new Color(0xe0e0e0));
        g.drawLine(LEFT, y, LEFT + plotW, y);
        g.setColor(Color.DARK_GRAY);
        String tick = LoadChart.format(max * i / 5, max);
        g.drawString(tick, LEFT - 8 - g.getFontMetrics().stringWidth(tick), y + 4);
      }
      g.drawString("MB/s", 20, TOP - 8);
      int groups = Math.max(1, paths.size());
      int groupW = plotW / groups;
      int barW = Math.min(80, groupW / 3);
      for (int i = 0; i < paths.size(); i++) {
        PathSpec p = paths.get(i);
        int center = LEFT + i * groupW + groupW / 2;
        bar(g, center - barW, barW, values(runs, p.name(), "fresh"), max, plotH, FRESH);
        bar(g, center, barW, values(runs, p.name(), "warm"), max, plotH, WARM);
        if (p.rate() > 0 && p.rate() / 1e6 <= max) {
          int y = TOP + plotH - (int) (p.rate() / 1e6 / max * plotH);
          g.setColor(Color.DARK_GRAY);
          g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
          g.drawLine(center - barW - 6, y, center + barW + 6, y);
          g.drawString("cap", center + barW + 8, y + 4);
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(p.name(), center - g.getFontMetrics().stringWidth(p.name()) / 2, TOP + plotH + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        String what = p.proxy() ? String.format(Locale.ROOT, "proxy +%.0f ms RTT%s", 2 * p.oneWayDelayMs(),
            p.rate() > 0 ? String.format(Locale.ROOT, ", %.0f MB/s", p.rate() / 1e6) : "") : "no proxy";
        g.drawString(what, center - g.getFontMetrics().stringWidth(what) / 2, TOP + plotH + 34);
      }
      if (!Double.isNaN(load)) {
        int y = TOP + plotH - (int) (load / max * plotH);
        g.setColor(LOAD);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.drawLine(LEFT, y, LEFT + plotW, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format(Locale.ROOT, "load tool, 1 connection, 256 KiB: %.1f MB/s", load), LEFT + 6, y - 4);
      }
      g.setStroke(new BasicStroke(1f));
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, TOP, plotW, plotH);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  /** A bar at the median of {@code values}, its value above it, and a dot per run. */
  private static void bar(Graphics2D g, int x, int w, List<Double> values, double max, int plotH, Color color) {
    double median = median(values);
    if (Double.isNaN(median)) {
      return;
    }
    int h = (int) (median / max * plotH);
    g.setColor(color);
    g.fillRect(x + 2, TOP + plotH - h, w - 4, h);
    g.setColor(Color.BLACK);
    String label = String.format(Locale.ROOT, "%.1f", median);
    g.drawString(label, x + w / 2 - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH - h - 4);
    for (double v : values) {
      int y = TOP + plotH - (int) (v / max * plotH);
      g.fillOval(x + w / 2 - 3, y - 3, 6, 6);
    }
  }

  private static void legend(Graphics2D g) {
    int x = LEFT;
    int y = 62;
    for (Object[] e : new Object[][] {{FRESH, "first pin of a fresh node"}, {WARM, "warm pin (median; dots: runs)"}}) {
      g.setColor((Color) e[0]);
      g.fillRect(x, y - 10, 14, 12);
      g.setColor(Color.BLACK);
      g.drawString((String) e[1], x + 20, y);
      x += 40 + g.getFontMetrics().stringWidth((String) e[1]);
    }
  }
}
