package io.cairn.node.strategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/**
 * How a component holds the strategy services of one kind (a MULTIPLE DYNAMIC GREEDY reference whose
 * bind, updated and unbind methods call {@link #bind}, {@link #updated} and {@link #unbind}), best
 * ranked first, and a built-in last resort. A call goes to the best strategy that has not failed; one
 * that throws is marked failed, logged once, and the call goes to the next (it is used again only if it
 * is bound anew: a bundle restart or a new registration). Bind and unbind swap an immutable list, so a
 * call in progress finishes with the strategy it started with.
 */
public final class Strategies<T> {
  /** The service property naming a strategy: {@code cairn.strategy=<name>}; reference targets select on it. */
  public static final String STRATEGY = "cairn.strategy";

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

  /**
   * @param kind what the strategies decide, for the log: {@code bitswap priority}
   * @param fallback the built-in used when no bound strategy works
   */
  public Strategies(String kind, T fallback, String fallbackName, Logger log) {
    this.kind = kind;
    this.fallback = fallback;
    this.fallbackName = fallbackName;
    this.log = log;
  }

  public synchronized void bind(T service, Map<String, ?> props) {
    List<Entry<T>> next = new ArrayList<>(entries);
    next.removeIf(e -> e.service == service);
    next.add(new Entry<>(service, name(props), ranking(props), id(props)));
    next.sort(BEST_FIRST);
    entries = List.copyOf(next);
  }

  public synchronized void unbind(T service) {
    List<Entry<T>> next = new ArrayList<>(entries);
    next.removeIf(e -> e.service == service);
    entries = List.copyOf(next);
  }

  /** A ranking change: re-sorts; the service keeps its failed mark. */
  public synchronized void updated(T service, Map<String, ?> props) {
    boolean failed = entries.stream().anyMatch(e -> e.service == service && e.failed);
    bind(service, props);
    if (failed) {
      entries.stream().filter(e -> e.service == service).forEach(e -> e.failed = true);
    }
  }

  /** Applies {@code call} to the best working strategy, falling to the next one (and at last the built-in) if it throws. */
  public <R> R apply(Function<T, R> call) {
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
  public void tellAll(Consumer<T> call) {
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
    log.error("{} strategy {} (service.id {}) threw and is no longer used; now using {}", kind, e.name, e.id,
        inUse(), error);
  }

  /** The name ({@code cairn.strategy}) of the strategy calls go to now. */
  public String inUse() {
    for (Entry<T> e : entries) {
      if (!e.failed) {
        return e.name;
      }
    }
    return fallbackName;
  }

  /** The strategy calls go to now (the built-in when none works). */
  public T current() {
    for (Entry<T> e : entries) {
      if (!e.failed) {
        return e.service;
      }
    }
    return fallback;
  }

  private static String name(Map<String, ?> props) {
    Object n = props.get(STRATEGY);
    return n == null ? "(unnamed)" : String.valueOf(n);
  }

  private static int ranking(Map<String, ?> props) {
    return props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
  }

  private static long id(Map<String, ?> props) {
    return props.get(Constants.SERVICE_ID) instanceof Long id ? id : Long.MAX_VALUE;
  }
}
