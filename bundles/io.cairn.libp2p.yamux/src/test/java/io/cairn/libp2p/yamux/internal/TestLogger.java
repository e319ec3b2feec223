package io.cairn.libp2p.yamux.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.log.Logger;

/** An OSGi {@link Logger} that keeps what was logged at warn and error, for tests to assert on. */
final class TestLogger {
  final List<String> problems = new CopyOnWriteArrayList<>();
  final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
      (proxy, method, args) -> {
        String name = method.getName();
        if ((name.equals("warn") || name.equals("error")) && args != null && args.length > 0) {
          problems.add(name + ": " + args[0] + (args.length > 1 ? " " + java.util.Arrays.deepToString(
              java.util.Arrays.copyOfRange(args, 1, args.length)) : ""));
        }
        return switch (name) {
          case "getName" -> "test";
          case "toString" -> "TestLogger";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        };
      });
}
