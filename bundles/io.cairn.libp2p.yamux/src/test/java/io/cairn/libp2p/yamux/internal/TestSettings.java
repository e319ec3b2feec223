package io.cairn.libp2p.yamux.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Settings validated from a configuration that differs from the defaults in the given keys. */
final class TestSettings {
  private TestSettings() {}

  static YamuxConfig config(Map<String, Object> overrides) {
    return (YamuxConfig) Proxy.newProxyInstance(YamuxConfig.class.getClassLoader(), new Class<?>[] {YamuxConfig.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "annotationType" -> YamuxConfig.class;
          case "toString" -> "YamuxConfig" + overrides;
          case "hashCode" -> overrides.hashCode();
          case "equals" -> proxy == args[0];
          default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
        });
  }

  static YamuxSettings with(Map<String, Object> overrides) {
    return YamuxSettings.of(config(overrides));
  }
}
