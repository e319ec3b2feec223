package io.cairn.console.internal;

import org.osgi.service.log.Logger;

/**
 * WARN lines about failed logins and refused requests, at most one per interval: a client guessing
 * passwords must not be able to flood the log. The next line written says how many were left out.
 */
final class RefusalLog {
  private final Logger log;
  private final long intervalMillis;
  private long lastMillis = Long.MIN_VALUE;
  private long suppressed;

  RefusalLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalMillis = intervalMillis;
  }

  synchronized void warn(long nowMillis, String message) {
    if (lastMillis != Long.MIN_VALUE && nowMillis - lastMillis < intervalMillis) {
      suppressed++;
      return;
    }
    if (suppressed > 0) {
      log.warn("{} ({} more refusals in the last {} s not logged)", message, suppressed, (nowMillis - lastMillis) / 1000);
    } else {
      log.warn("{}", message);
    }
    lastMillis = nowMillis;
    suppressed = 0;
  }
}
