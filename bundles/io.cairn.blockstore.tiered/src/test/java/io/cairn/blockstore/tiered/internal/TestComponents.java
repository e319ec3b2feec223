package io.cairn.blockstore.tiered.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.osgi.service.log.Logger;

/**
 * Builds the real components of other bundles (memory tier, batch I/O, file tier) as DS would: through
 * their public activation constructor {@code (Logger, XxxConfig)}, with a configuration that answers the
 * given values and the OCD's defaults for the rest. Their config annotations are package-private, so
 * they are reached by name.
 */
final class TestComponents {
  private TestComponents() {}

  /** A logger that keeps WARN and ERROR lines, {} filled in, in {@code lines} ("WARN ..."/"ERROR ..."). */
  static Logger logger(List<String> lines) {
    List<String> sink = Collections.synchronizedList(lines);
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class}, (p, m, a) -> {
      if ((m.getName().equals("error") || m.getName().equals("warn")) && a != null && a[0] instanceof String format) {
        String line = format;
        Object[] args = a.length == 2 && a[1] instanceof Object[] varargs ? varargs : Arrays.copyOfRange(a, 1, a.length);
        for (Object arg : args) {
          line = line.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(arg)));
        }
        sink.add(m.getName().toUpperCase() + " " + line);
      }
      return m.getReturnType() == boolean.class ? false : null;
    });
  }

  static Logger logger() {
    return logger(new ArrayList<>());
  }

  /** A configuration annotation instance: {@code values} by method name, else the declared default. */
  static Object config(Class<?> type, Map<String, Object> values) {
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
      if (m.getName().equals("annotationType")) {
        return type;
      }
      if (values.containsKey(m.getName())) {
        return values.get(m.getName());
      }
      Object d = m.getDefaultValue();
      if (d == null) {
        throw new IllegalStateException(type.getName() + "." + m.getName() + " has no default and no value");
      }
      return d;
    });
  }

  /** The component {@code className} made through its {@code (Logger, Config)} constructor. */
  static <T> T create(Class<T> type, String className, Logger log, Map<String, Object> values) {
    try {
      Class<?> impl = Class.forName(className);
      for (Constructor<?> c : impl.getConstructors()) {
        Class<?>[] params = c.getParameterTypes();
        if (params.length == 2 && params[0] == Logger.class && params[1].isAnnotation()) {
          return type.cast(c.newInstance(log, config(params[1], values)));
        }
      }
      throw new IllegalStateException(className + " has no (Logger, Config) constructor");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + className, e);
    }
  }

  /** Calls the component's {@code @Deactivate} method, as DS would when it stops. */
  static void deactivate(Object component) {
    try {
      java.lang.reflect.Method m = component.getClass().getDeclaredMethod("deactivate");
      m.setAccessible(true);
      m.invoke(component);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot deactivate " + component, e);
    }
  }
}
