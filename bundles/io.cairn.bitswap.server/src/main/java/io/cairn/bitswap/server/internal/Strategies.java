package io.cairn.bitswap.server.internal;

import io.cairn.bitswap.spi.PriorityRequestManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/**
 * The strategy services of one kind the engine holds (a MULTIPLE DYNAMIC GREEDY reference), best
 * ranked first, and a built-in last resort. A call goes to the best strategy that has not failed; one
 * that throws is marked failed, logged once, and the call goes to the next (it is used again only if it
 * is bound anew: a bundle restart or a new registration). Bind and unbind swap an immutable list, so a
 * call in progress finishes with the strategy it started with.
 */
final class Strategies<T> {
  /** One bound service; {@code failed} is set once, when it first throws. */
  private static final class Entry<T> {
    final T service;
    final String name;
    final int ranking;
    final long id;
    volatile boolean failed;

    Entry(T service, String name, int ranking, long id) {
      this.service = service;
      this.name = name;
      this.ranking = ranking;
      this.id = id;
    }
  }

  private static final Comparator<Entry<?>> BEST_FIRST =
      Comparator.<Entry<?>>comparingInt(e -> -e.ranking).thenComparingLong(e -> e.id);

  private final String kind;
  private final T fallback;
  private final String fallbackName;
  private final Logger log;
  private volatile List<Entry<T>> entries = List.of();

  Strategies(String kind, T fallback, String fallbackName, Logger log) {
    this.kind = kind;
    this.fallback = fallback;
    this.fallbackName = fallbackName;
    this.log = log;
  }

  synchronized void bind(T service, Map<String, ?> props) {
    List<Entry<T>> next = new ArrayList<>(entries);
    next.removeIf(e -> e.service == service);
    next.add(new Entry<>(service, name(props), ranking(props), id(props)));
    next.sort(BEST_FIRST);
    entries = List.copyOf(next);
  }

  synchronized void unbind(T service) {
    List<Entry<T>> next = new ArrayList<>(entries);
    next.removeIf(e -> e.service == service);
    entries = List.copyOf(next);
  }

  /** A ranking change: re-sorts; the service keeps its failed mark. */
  synchronized void updated(T service, Map<String, ?> props) {
    boolean failed = entries.stream().anyMatch(e -> e.service == service && e.failed);
    bind(service, props);
    if (failed) {
      entries.stream().filter(e -> e.service == service).forEach(e -> e.failed = true);
    }
  }

  /** Applies {@code call} to the best working strategy, falling to the next one (and at last the built-in) if it throws. */
  <R> R apply(Function<T, R> call) {
    for (Entry<T> e : entries) {
      if (e.failed) {
        continue;
      }
      try {
        return call.apply(e.service);
      } catch (RuntimeException | LinkageError error) {
        fail(e, error);
      }
    }
    return call.apply(fallback);
  }

  /** Tells every bound strategy (not only the one in use) something it must know, e.g. that a peer left. */
  void tellAll(Consumer<T> call) {
    for (Entry<T> e : entries) {
      if (!e.failed) {
        try {
          call.accept(e.service);
        } catch (RuntimeException | LinkageError error) {
          fail(e, error);
        }
      }
    }
    call.accept(fallback);
  }

  private void fail(Entry<T> e, Throwable error) {
    synchronized (e) {
      if (e.failed) {
        return;
      }
      e.failed = true;
    }
    log.error("bitswap {} strategy {} (service.id {}) threw and is no longer used; now using {}", kind, e.name, e.id,
        inUse(), error);
  }

  /** The name ({@code cairn.strategy}) of the strategy calls go to now. */
  String inUse() {
    for (Entry<T> e : entries) {
      if (!e.failed) {
        return e.name;
      }
    }
    return fallbackName;
  }

  /** The strategy calls go to now (the built-in when none works). */
  T current() {
    for (Entry<T> e : entries) {
      if (!e.failed) {
        return e.service;
      }
    }
    return fallback;
  }

  private static String name(Map<String, ?> props) {
    Object n = props.get(PriorityRequestManager.STRATEGY);
    return n == null ? "(unnamed)" : String.valueOf(n);
  }

  private static int ranking(Map<String, ?> props) {
    return props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
  }

  private static long id(Map<String, ?> props) {
    return props.get(Constants.SERVICE_ID) instanceof Long id ? id : Long.MAX_VALUE;
  }
}
