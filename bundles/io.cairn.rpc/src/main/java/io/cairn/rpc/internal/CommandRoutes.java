package io.cairn.rpc.internal;

import io.cairn.rpc.RpcCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which command serves which path. Commands come and go as services; a path is served by the one
 * with the highest {@code service.ranking} (then the lowest {@code service.id}), as OSGi ranks services.
 */
final class CommandRoutes {
  private record Entry(RpcCommand command, String path, int ranking, long serviceId) {}

  private static final Comparator<Entry> PREFERENCE =
      Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId);

  private final List<Entry> entries = new ArrayList<>();
  private volatile Map<String, RpcCommand> routes = Map.of();

  synchronized void add(RpcCommand command, Map<String, ?> properties) {
    String path = normalise(properties.get(RpcCommand.PATH));
    if (path == null) {
      return;
    }
    entries.add(new Entry(command, path, intProperty(properties.get("service.ranking")), longProperty(properties.get("service.id"))));
    rebuild();
  }

  synchronized void remove(RpcCommand command) {
    entries.removeIf(e -> e.command() == command);
    rebuild();
  }

  Optional<RpcCommand> find(String path) {
    return Optional.ofNullable(routes.get(path));
  }

  List<String> paths() {
    return routes.keySet().stream().sorted().toList();
  }

  private void rebuild() {
    Map<String, RpcCommand> next = new HashMap<>();
    entries.stream().sorted(PREFERENCE).forEach(e -> next.putIfAbsent(e.path(), e.command()));
    routes = Map.copyOf(next);
  }

  static String normalise(Object path) {
    if (!(path instanceof String s)) {
      return null;
    }
    String p = s.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? null : p;
  }

  private static int intProperty(Object value) {
    return value instanceof Integer i ? i : 0;
  }

  private static long longProperty(Object value) {
    return value instanceof Long l ? l : Long.MAX_VALUE;
  }
}
