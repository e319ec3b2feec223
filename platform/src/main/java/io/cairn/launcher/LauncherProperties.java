package io.cairn.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The node's framework properties: {@code conf/cairn.properties}, then the environment
 * ({@code cairn.api.address} from {@code CAIRN_API_ADDRESS}, {@code cairn.path} from {@code CAIRN_PATH}),
 * then the command line ({@code --api-address=...} or {@code -Dkey=value}); later wins.
 * Values may refer to others as {@code ${key}}.
 */
final class LauncherProperties {
  private static final int MAX_SUBSTITUTION_DEPTH = 16;

  private LauncherProperties() {}

  static Map<String, String> load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> result = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> result.put(k, p.getProperty(k)));
    return result;
  }

  /** {@code CAIRN_API_ADDRESS} overrides {@code cairn.api.address}: every {@code cairn.*} key has its variable. */
  static void applyEnvironment(Map<String, String> props, Map<String, String> env) {
    env.forEach((name, value) -> {
      if (name.startsWith("CAIRN_") && name.length() > 6) {
        props.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
  }

  /**
   * Applies {@code --some-key=value}, {@code --some-key value} (meaning {@code cairn.some.key}) and
   * {@code -Dany.key=value}; returns the arguments that are not options.
   */
  static List<String> applyCommandLine(Map<String, String> props, List<String> args) {
    List<String> rest = new java.util.ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("-D") && a.indexOf('=') > 2) {
        props.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      } else if (a.startsWith("--") && a.length() > 2) {
        String body = a.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        String value;
        if (eq >= 0) {
          value = body.substring(eq + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new IllegalArgumentException("option --" + name + " needs a value");
        }
        props.put("cairn." + name.replace('-', '.'), value);
      } else {
        rest.add(a);
      }
    }
    return rest;
  }

  /** Replaces {@code ${key}} with the value of key (or a system property); unknown keys are an error. */
  static Map<String, String> substitute(Map<String, String> props) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : props.entrySet()) {
      result.put(e.getKey(), resolve(e.getKey(), e.getValue(), props, 0));
    }
    return result;
  }

  private static String resolve(String key, String value, Map<String, String> props, int depth) {
    if (depth > MAX_SUBSTITUTION_DEPTH) {
      throw new IllegalArgumentException("property " + key + ": ${...} references nest too deep (a cycle?)");
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        out.append(value, i, value.length());
        break;
      }
      int end = value.indexOf('}', start);
      if (end < 0) {
        throw new IllegalArgumentException("property " + key + ": unclosed ${ in '" + value + "'");
      }
      out.append(value, i, start);
      String ref = value.substring(start + 2, end);
      String replacement = props.containsKey(ref) ? props.get(ref) : System.getProperty(ref);
      if (replacement == null) {
        throw new IllegalArgumentException("property " + key + " refers to ${" + ref + "}, which is not set");
      }
      out.append(resolve(ref, replacement, props, depth + 1));
      i = end + 1;
    }
    return out.toString();
  }
}
