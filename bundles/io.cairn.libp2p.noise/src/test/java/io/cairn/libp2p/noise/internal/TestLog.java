package io.cairn.libp2p.noise.internal;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} that keeps every line, "LEVEL message" with {@code {}} filled in, for assertions. */
final class TestLog {
  final List<String> lines = new CopyOnWriteArrayList<>();
  final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
      (proxy, method, args) -> {
        String name = method.getName();
        if (name.startsWith("is")) {
          return true;
        }
        if (name.equals("getName")) {
          return "test";
        }
        if (args != null && args.length > 0 && args[0] instanceof String format) {
          lines.add(name.toUpperCase() + " " + fill(format, args));
        }
        return null;
      });

  /** Whether any line at {@code level} contains {@code text}. */
  boolean has(String level, String text) {
    return lines.stream().anyMatch(l -> l.startsWith(level + " ") && l.contains(text));
  }

  /** Fills {@code {}} with the arguments after the format, passed one by one or as varargs. */
  private static String fill(String format, Object[] args) {
    Object[] values = args.length == 2 && args[1] instanceof Object[] varargs
        ? varargs
        : Arrays.copyOfRange(args, 1, args.length);
    StringBuilder out = new StringBuilder();
    int arg = 0;
    int from = 0;
    for (int at = format.indexOf("{}"); at >= 0 && arg < values.length; at = format.indexOf("{}", from)) {
      out.append(format, from, at).append(values[arg++]);
      from = at + 2;
    }
    return out.append(format.substring(from)).toString();
  }
}
