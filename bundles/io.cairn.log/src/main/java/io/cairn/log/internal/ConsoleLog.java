package io.cairn.log.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Writes the OSGi log to standard error, one line an entry, and keeps the root level of the
 * logger admin equal to its own so that suppressed entries cost nothing.
 */
@Component(configurationPid = ConsoleLog.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = ConsoleLogConfig.class)
public class ConsoleLog implements LogListener {
  public static final String PID = "io.cairn.log";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final LogReaderService reader;
  private final LoggerAdmin loggerAdmin;
  private final PrintStream out = System.err;
  private volatile LogLevel threshold = LogLevel.INFO;
  private volatile LogLevel eventThreshold = LogLevel.WARN;

  @Activate
  public ConsoleLog(@Reference LogReaderService reader, @Reference LoggerAdmin loggerAdmin, ConsoleLogConfig config) {
    this.reader = reader;
    this.loggerAdmin = loggerAdmin;
    apply(config);
    replayEarlyEntries(config.replay());
    reader.addLogListener(this);
  }

  @Modified
  void modified(ConsoleLogConfig config) {
    apply(config);
  }

  @Deactivate
  void deactivate() {
    reader.removeLogListener(this);
  }

  /** Validates both levels before applying either; this component cannot log through itself, so it prints. */
  private void apply(ConsoleLogConfig config) {
    LogLevel level;
    LogLevel events;
    String key = "level";
    try {
      level = parseLevel(config.level());
      key = "frameworkEvents";
      events = parseLevel(config.frameworkEvents());
    } catch (IllegalArgumentException e) {
      print(Instant.now(), LogLevel.WARN, "io.cairn.log", getClass().getName(),
          "Rejected configuration " + PID + ": key " + key + ": " + e.getMessage() + "; keeping the previous values", null);
      return;
    }
    threshold = level;
    eventThreshold = events;
    // The framework's event entries use the logger names Events.Bundle, Events.Service, Events.Framework.
    loggerAdmin.getLoggerContext(null).setLogLevels(Map.of(Logger.ROOT_LOGGER_NAME, level, "Events", events));
  }

  /** Framework event entries (logger names Events.Bundle..., Events.Service...) have their own threshold. */
  private LogLevel thresholdFor(String loggerName) {
    return loggerName != null && loggerName.startsWith(EVENTS_PREFIX) ? eventThreshold : threshold;
  }

  private static final String EVENTS_PREFIX = "Events.";

  static LogLevel parseLevel(String value) {
    String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    if ("WARNING".equals(name)) {
      name = "WARN";
    }
    try {
      LogLevel level = LogLevel.valueOf(name);
      if (level == LogLevel.AUDIT) {
        throw new IllegalArgumentException("AUDIT is not a threshold");
      }
      return level;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not one of ERROR, WARN, INFO, DEBUG, TRACE");
    }
  }

  @SuppressWarnings("deprecation") // getLog() is the only way to read entries logged before we listened.
  private void replayEarlyEntries(int max) {
    if (max <= 0) {
      return;
    }
    List<LogEntry> early = new ArrayList<>();
    for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements() && early.size() < max; ) {
      early.add(e.nextElement());
    }
    Collections.reverse(early); // getLog() is newest first
    early.forEach(this::logged); // logged() applies the thresholds
  }

  @Override
  public void logged(LogEntry entry) {
    LogLevel level = entry.getLogLevel();
    if (level != LogLevel.AUDIT && !thresholdFor(entry.getLoggerName()).implies(level)) {
      return;
    }
    Bundle bundle = entry.getBundle();
    print(Instant.ofEpochMilli(entry.getTime()), level, bundle == null ? "-" : bundle.getSymbolicName(),
        entry.getLoggerName(), entry.getMessage(), entry.getException());
  }

  private void print(Instant time, LogLevel level, String bundle, String logger, String message, Throwable error) {
    String line = format(time, level, bundle, logger, message);
    synchronized (out) {
      out.println(line);
      if (error != null) {
        error.printStackTrace(out);
      }
    }
  }

  static String format(Instant time, LogLevel level, String bundle, String logger, String message) {
    String shortLogger = logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
    return TIME.format(time) + ' ' + String.format("%-5s", level.name()) + " [" + bundle + "] " + shortLogger + ": " + message;
  }
}
