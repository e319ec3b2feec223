package io.cairn.testing;

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
 * Builds the real components of other bundles (tiers, batch I/O, the tiered store) as DS would, for tests
 * that compose real parts: through their public activation constructor {@code (Logger, XxxConfig)}, with a
 * configuration that answers the given values and the OCD's defaults for the rest; then binds and stops
 * them through their package-private DS methods. Config annotations are package-private, so components
 * are reached by class name.
 */
public final class Components {
  private Components() {}

  /** A logger that keeps WARN and ERROR lines, {} filled in, in {@code lines} ("WARN ..."/"ERROR ..."). */
  public static Logger logger(List<String> lines) {
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

  public static Logger logger() {
    return logger(new ArrayList<>());
  }

  /** A configuration annotation instance: {@code values} by method name, else the declared default. */
  public static Object config(Class<?> type, Map<String, Object> values) {
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
  public static <T> T create(Class<T> type, String className, Logger log, Map<String, Object> values) {
    return createWith(type, className, values, log);
  }

  /**
   * The component {@code className} made through its public activation constructor whose parameters are
   * {@code leading} (references: a logger, NodeInfo, ...) followed by its configuration annotation.
   */
  public static <T> T createWith(Class<T> type, String className, Map<String, Object> values, Object... leading) {
    try {
      Class<?> impl = Class.forName(className);
      for (Constructor<?> c : impl.getConstructors()) {
        Class<?>[] params = c.getParameterTypes();
        if (params.length == leading.length + 1 && params[leading.length].isAnnotation() && accepts(params, leading)) {
          Object[] args = Arrays.copyOf(leading, leading.length + 1);
          args[leading.length] = config(params[leading.length], values);
          return type.cast(c.newInstance(args));
        }
      }
      throw new IllegalStateException(className + " has no public constructor (" + Arrays.toString(leading) + ", Config)");
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new IllegalStateException("cannot create " + className + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + className, e);
    }
  }

  private static boolean accepts(Class<?>[] params, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!params[i].isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  /** Calls the component's {@code @Deactivate} method, as DS would when it stops. */
  public static void deactivate(Object component) {
    try {
      java.lang.reflect.Method m = component.getClass().getDeclaredMethod("deactivate");
      m.setAccessible(true);
      m.invoke(component);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot deactivate " + component, e);
    }
  }

  /** Calls a (package-private) method of a component by name, as DS calls bind methods: {@code bindTier(tier, props)}. */
  public static Object call(Object component, String method, Object... args) {
    for (Class<?> c = component.getClass(); c != null; c = c.getSuperclass()) {
      for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == args.length) {
          try {
            m.setAccessible(true);
            return m.invoke(component, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + method + " on " + component, e);
          }
        }
      }
    }
    throw new IllegalStateException(component.getClass().getName() + " has no method " + method + " with "
        + args.length + " parameters");
  }
}
