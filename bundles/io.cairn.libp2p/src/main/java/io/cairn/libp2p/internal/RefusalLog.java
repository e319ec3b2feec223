package io.cairn.libp2p.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * Refused connections logged at WARN without letting a flood write the log: at most one line per source
 * per interval, carrying the count refused since the source's last line. At most {@link #MAX_SOURCES}
 * sources are remembered; refusals of others while that many are are summed into one line per interval, so
 * an attacker with many addresses costs a bounded map and a bounded number of lines.
 */
final class RefusalLog {
  static final int MAX_SOURCES = 1024;
  private static final String OTHERS = "other sources";

  private final Logger log;
  private final Map<String, Window> windows = new HashMap<>();

  private static final class Window {
    long startNanos;
    long suppressed;

    Window(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  RefusalLog(Logger log) {
    this.log = log;
  }

  /** A connection from {@code source} was refused by {@code refusal}. */
  void refused(InetAddress source, Admission.Refusal refusal, Duration interval) {
    refused(source.getHostAddress(), refusal, interval.toNanos(), System.nanoTime());
  }

  void refused(String source, Admission.Refusal refusal, long intervalNanos, long now) {
    String key = source;
    long suppressed;
    synchronized (this) {
      Window w = windows.get(key);
      if (w == null && windows.size() >= MAX_SOURCES) {
        // Sources whose window has passed start afresh anyway: their unlogged counts stay in the metrics.
        windows.values().removeIf(old -> now - old.startNanos >= intervalNanos);
        if (windows.size() >= MAX_SOURCES) {
          key = OTHERS;
          w = windows.get(key);
        }
      }
      if (w == null) {
        windows.put(key, new Window(now));
        suppressed = 0;
      } else if (now - w.startNanos < intervalNanos) {
        w.suppressed++;
        return;
      } else {
        suppressed = w.suppressed;
        w.startNanos = now;
        w.suppressed = 0;
      }
    }
    String more = suppressed == 0 ? "" : "; " + suppressed + " more refused since the last such line";
    String from = key.equals(OTHERS) ? source + " (and " + OTHERS + ")" : source;
    log.warn("refused an inbound connection from {}: {} ({}){}", from, refusal.detail(), refusal.limit().key, more);
  }

  synchronized int remembered() {
    return windows.size();
  }
}
