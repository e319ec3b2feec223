package io.cairn.libp2p.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Services of one kind in OSGi's preference order: highest {@code service.ranking}, then lowest
 * {@code service.id}. Bound and unbound from any thread; {@link #sorted()} is a lock-free snapshot.
 */
final class Ranked<T> {
  private record Entry<T>(T service, Map<String, ?> properties, int ranking, long serviceId) {}

  private static final Comparator<Entry<?>> PREFERENCE =
      Comparator.<Entry<?>>comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId);

  private final List<Entry<T>> entries = new ArrayList<>();
  private volatile List<Entry<T>> snapshot = List.of();

  synchronized void add(T service, Map<String, ?> properties) {
    entries.add(new Entry<>(service, Map.copyOf(properties),
        properties.get("service.ranking") instanceof Integer r ? r : 0,
        properties.get("service.id") instanceof Long id ? id : Long.MAX_VALUE));
    entries.sort(PREFERENCE);
    snapshot = List.copyOf(entries);
  }

  synchronized void remove(T service) {
    entries.removeIf(e -> e.service() == service);
    snapshot = List.copyOf(entries);
  }

  /** The services, preferred first. */
  List<T> sorted() {
    return snapshot.stream().map(Entry::service).toList();
  }

  /** Each service with its properties, preferred first. */
  List<Map.Entry<T, Map<String, ?>>> withProperties() {
    List<Map.Entry<T, Map<String, ?>>> result = new ArrayList<>();
    for (Entry<T> e : snapshot) {
      result.add(Map.entry(e.service(), e.properties()));
    }
    return result;
  }
}
