package io.cairn.blockstore.batchio.internal;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import org.osgi.service.log.Logger;

/** A logger that keeps ERROR and WARN lines, with {} filled in, for the assertions. */
final class TestLog {
  final List<String> errors = new CopyOnWriteArrayList<>();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
      (p, m, a) -> {
        if ((m.getName().equals("error") || m.getName().equals("warn")) && a != null && a[0] instanceof String format) {
          String line = format;
          Object[] args = a.length == 2 && a[1] instanceof Object[] varargs ? varargs : Arrays.copyOfRange(a, 1, a.length);
          for (Object arg : args) {
            line = line.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(arg)));
          }
          (m.getName().equals("error") ? errors : warnings).add(line);
        }
        return m.getReturnType() == boolean.class ? false : null;
      });
}
