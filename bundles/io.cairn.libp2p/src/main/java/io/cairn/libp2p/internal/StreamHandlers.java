package io.cairn.libp2p.internal;

import io.cairn.libp2p.StreamHandler;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stream protocols served now, from the {@link StreamHandler} services: a protocol id maps to the
 * preferred handler that lists it. Rebuilt on every change, read without locks.
 */
final class StreamHandlers {
  private final Ranked<StreamHandler> handlers = new Ranked<>();
  private volatile Map<String, StreamHandler> byProtocol = Map.of();

  /** Returns whether the set of served protocols changed. */
  synchronized boolean add(StreamHandler handler, Map<String, ?> properties) {
    handlers.add(handler, properties);
    return rebuild();
  }

  synchronized boolean remove(StreamHandler handler) {
    handlers.remove(handler);
    return rebuild();
  }

  boolean serves(String protocol) {
    return byProtocol.containsKey(protocol);
  }

  StreamHandler get(String protocol) {
    return byProtocol.get(protocol);
  }

  Set<String> protocols() {
    return byProtocol.keySet();
  }

  private boolean rebuild() {
    Map<String, StreamHandler> next = new HashMap<>();
    for (var e : handlers.withProperties()) {
      protocols(e.getValue().get(StreamHandler.PROTOCOL)).forEach(p -> next.putIfAbsent(p, e.getKey()));
    }
    boolean changed = !next.keySet().equals(byProtocol.keySet());
    byProtocol = Map.copyOf(next);
    return changed;
  }

  /** A protocol property holds one id or several. */
  static List<String> protocols(Object property) {
    if (property instanceof String s) {
      return List.of(s);
    }
    if (property instanceof String[] a) {
      return List.of(a);
    }
    if (property instanceof Collection<?> c) {
      return c.stream().map(String::valueOf).toList();
    }
    return List.of();
  }
}
