package io.cairn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --key value} options of the single-process runs (TierBreakerRun, SlowTierRun, the network layer's loads), and their report. */
final class RunOptions {
  private final Map<String, String> values = new LinkedHashMap<>();

  RunOptions(String[] args) {
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
  }

  String get(String key, String otherwise) {
    return values.getOrDefault(key, otherwise);
  }

  /** The value of {@code --key}; an {@link IllegalArgumentException} naming it when it is missing. */
  String require(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("--" + key + " is required");
    }
    return v;
  }

  int getInt(String key, int otherwise) {
    return Integer.parseInt(get(key, String.valueOf(otherwise)));
  }

  long getLong(String key, long otherwise) {
    return Long.parseLong(get(key, String.valueOf(otherwise)));
  }

  /**
   * Prints {@code report} as JSON, with the machine's cores and the JVM added, and writes it to
   * {@code --out DIR} as {@code --name}.json ({@code defaultName} unless given).
   */
  void report(Map<String, Object> report, String defaultName) throws IOException {
    report.put("cores", Runtime.getRuntime().availableProcessors());
    report.put("java", Runtime.version().toString());
    String json = Json.write(report);
    System.out.println(json);
    if (values.containsKey("out")) {
      Path dir = Path.of(values.get("out"));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(get("name", defaultName) + ".json"), json);
    }
  }
}
