package io.cairn.node.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.service.log.Logger;

/** Helpers for the validate-and-apply pattern shared by every configurable component. */
public final class Configs {
  private Configs() {}

  /**
   * An instance of a configuration annotation that answers every method with its declared default:
   * the settings in force before any configuration was accepted. The defaults stay written once, in the OCD.
   */
  public static <A extends Annotation> A defaults(Class<A> type) {
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      if (method.getName().equals("annotationType") && method.getParameterCount() == 0) {
        return type;
      }
      Object value = method.getDefaultValue();
      if (value == null) {
        throw new IllegalStateException(type.getName() + "." + method.getName() + " has no default");
      }
      return value;
    });
    return type.cast(proxy);
  }

  /**
   * Validates {@code config} into settings with {@code validate}. On success returns them; on failure
   * logs one warning naming the PID and key and returns empty, so the caller keeps its previous settings.
   * A value ConfigAdmin could not convert to the declared type surfaces here too, when it is read.
   * WARN, not ERROR: the refusal is the outcome the node chose and it runs on, as with refused peer input;
   * ERROR is for what it could not handle.
   */
  public static <A, S> Optional<S> validate(String pid, A config, Function<A, S> validate, Logger log) {
    try {
      return Optional.of(validate.apply(namingKeys(config)));
    } catch (InvalidConfigException e) {
      log.warn("Rejected configuration {}: key {}: {}; keeping the previous values", pid, e.key(), e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Rejected configuration {}: {}; keeping the previous values", pid, e.toString());
    }
    return Optional.empty();
  }

  /**
   * DS converts configuration values lazily, when a method is called, and reports a value it cannot
   * convert ("lots" for an int) without naming the key: this view names it.
   */
  @SuppressWarnings("unchecked")
  static <A> A namingKeys(A config) {
    Class<?>[] interfaces = config.getClass().getInterfaces();
    if (interfaces.length == 0) {
      return config;
    }
    // Config annotations are usually package-private: the view must live in the interface's own loader.
    return (A) Proxy.newProxyInstance(interfaces[0].getClassLoader(), interfaces, (p, method, args) -> {
      try {
        method.setAccessible(true);
        return method.invoke(config, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        Throwable cause = e.getCause();
        while (cause.getCause() != null && !(cause instanceof NumberFormatException)) {
          cause = cause.getCause();
        }
        throw new InvalidConfigException(method.getName(), "cannot be read as " + method.getReturnType().getSimpleName()
            + " (" + cause.getMessage() + ")");
      }
    });
  }

  /** Checks {@code min <= value <= max}, else an {@link InvalidConfigException} for {@code key}. */
  public static long inRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidConfigException(key, value + " is outside [" + min + ", " + max + "]");
    }
    return value;
  }

  /** Names the methods of a configuration annotation, for messages and documentation. */
  static String[] keys(Class<? extends Annotation> type) {
    return java.util.Arrays.stream(type.getDeclaredMethods()).map(Method::getName).sorted().toArray(String[]::new);
  }
}
