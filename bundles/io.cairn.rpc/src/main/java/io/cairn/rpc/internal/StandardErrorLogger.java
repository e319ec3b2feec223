package io.cairn.rpc.internal;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.regex.Matcher;
import org.osgi.service.log.Logger;

/**
 * Where the RPC servlet logs before the log service runs: warnings and errors on standard error (which
 * the launcher's console shows), the rest dropped. See {@link RpcServlet#log()} for why it may run first.
 */
final class StandardErrorLogger {
  static final Logger INSTANCE = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
      new Class<?>[] {Logger.class}, (proxy, method, args) -> {
        String name = method.getName();
        if ((name.equals("warn") || name.equals("error")) && args != null && args[0] instanceof String format) {
          Object[] values = args.length == 2 && args[1] instanceof Object[] varargs ? varargs
              : Arrays.copyOfRange(args, 1, args.length);
          String line = format;
          for (Object value : values) {
            line = line.replaceFirst("\\{}", Matcher.quoteReplacement(String.valueOf(value)));
          }
          System.err.println(name.toUpperCase() + " [io.cairn.rpc] " + line);
          return null;
        }
        return switch (name) {
          case "getName" -> "io.cairn.rpc";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "StandardErrorLogger";
          default -> method.getReturnType() == boolean.class ? Boolean.FALSE : null;
        };
      });

  private StandardErrorLogger() {}
}
