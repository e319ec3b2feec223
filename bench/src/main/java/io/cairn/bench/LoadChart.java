package io.cairn.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The load run over time as a PNG (java.awt, headless): throughput in the top panel, p95 latency in
 * the bottom one, one point per interval.
 */
final class LoadChart {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 600;
  private static final int LEFT = 80;
  private static final int RIGHT = 70;
  private static final Color THROUGHPUT = new Color(0x1f77b4);
  private static final Color LATENCY = new Color(0xd62728);

  /** One interval of the run: when it ends (s from the start), blocks/s, MB/s and p95 (ms, NaN if nothing completed). */
  record Point(double endSeconds, double blocksPerSec, double mbPerSec, double p95Ms) {}

  /** @param blockSize bytes per block: the throughput panel's right axis shows MB/s */

  private LoadChart() {}

  static void write(Path png, String title, String subtitle, int blockSize, List<Point> points) throws IOException {
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
      double maxT = niceCeiling(points.isEmpty() ? 1 : points.get(points.size() - 1).endSeconds());
      panel(g, 64, 250, "throughput (blocks/s; MB/s on the right)", points, maxT, Point::blocksPerSec, blockSize / 1e6,
          THROUGHPUT);
      panel(g, 350, 210, "p95 latency (ms)", points, maxT, Point::p95Ms, 0, LATENCY);
      g.setColor(Color.DARK_GRAY);
      g.drawString("time (s)", WIDTH / 2, HEIGHT - 8);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  /** @param rightScale the right axis' value per unit of the left one, or 0 for no right axis */
  private static void panel(Graphics2D g, int top, int height, String label, List<Point> points, double maxT,
      ToDoubleFunction<Point> value, double rightScale, Color color) {
    int width = WIDTH - LEFT - RIGHT;
    double maxV = 0;
    for (Point p : points) {
      double v = value.applyAsDouble(p);
      if (!Double.isNaN(v)) {
        maxV = Math.max(maxV, v);
      }
    }
    maxV = niceCeiling(maxV);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setStroke(new BasicStroke(1f));
    // Five divisions of a round ceiling: every tick is a round number.
    for (int i = 0; i <= 5; i++) {
      int y = top + height - i * height / 5;
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(LEFT, y, LEFT + width, y);
      g.setColor(Color.DARK_GRAY);
      String tick = format(maxV * i / 5, maxV);
      g.drawString(tick, LEFT - 8 - g.getFontMetrics().stringWidth(tick), y + 4);
      if (rightScale > 0) {
        g.drawString(format(maxV * rightScale * i / 5, maxV * rightScale), LEFT + width + 6, y + 4);
      }
    }
    for (int i = 0; i <= 10; i++) {
      int x = LEFT + i * width / 10;
      String tick = format(maxT * i / 10, maxT);
      g.drawString(tick, x - g.getFontMetrics().stringWidth(tick) / 2, top + height + 14);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, top, width, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    g.setColor(color);
    g.drawString(label, LEFT + 6, top + 14);
    Path2D.Double line = new Path2D.Double();
    boolean started = false;
    for (Point p : points) {
      double v = value.applyAsDouble(p);
      if (Double.isNaN(v)) {
        started = false; // a gap where nothing completed
        continue;
      }
      double x = LEFT + p.endSeconds() / maxT * width;
      double y = top + height - (maxV == 0 ? 0 : v / maxV * height);
      if (started) {
        line.lineTo(x, y);
      } else {
        line.moveTo(x, y);
        started = true;
      }
      g.fillOval((int) x - 2, (int) y - 2, 4, 4);
    }
    g.setStroke(new BasicStroke(1.5f));
    g.draw(line);
  }

  /** The least of 1, 2, 2.5, 4, 5, 6 or 8 times a power of ten that is at least {@code v}: round axis labels. */
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 4, 5, 6, 8, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  /** A tick label with as many decimals as the axis' range needs. */
  static String format(double v, double axisMax) {
    return String.format(Locale.ROOT, axisMax >= 20 ? "%,.0f" : axisMax >= 2 ? "%.1f" : axisMax >= 0.2 ? "%.2f" : "%.3f", v);
  }
}
