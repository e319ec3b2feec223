package io.cairn.node.breaker;

import io.cairn.node.breaker.CircuitBreakers.Breaker;
import io.cairn.node.breaker.CircuitBreakers.State;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/**
 * How a consumer holds the {@link CircuitBreakers} strategies of one scope (a MULTIPLE DYNAMIC GREEDY
 * reference whose bind, updated and unbind methods call {@link #bind} and {@link #unbind}): best ranked
 * first, and the breaker each key has under the one in use. A call takes its key's breaker from
 * {@link #breaker} and keeps it until it completes, so a swap (a bind, an unbind, a ranking change) never
 * touches a call in flight: the next call gets the new strategy's breaker. A strategy that throws is
 * dropped (logged once) and the next ranked is used; with none, calls are not guarded
 * ({@link NeverOpenBreakers#CLOSED}). A strategy whose {@value CircuitBreakers#SCOPE} names only other
 * scopes is not used (one without the property is taken for any scope).
 *
 * @param <K> what a breaker is kept for (a tier's name, a peer id); the strategy is given its text form
 */
public final class BreakerHolder<K> {
  /** One bound strategy; {@code failed} is set once, when it first throws. */
  private static final class Entry {
    final CircuitBreakers strategy;
    final String name;
    final int ranking;
    final long id;
    volatile boolean failed;

    Entry(CircuitBreakers strategy, Map<String, ?> props) {
      this.strategy = strategy;
      this.name = props.get(CircuitBreakers.STRATEGY) instanceof Object n ? String.valueOf(n) : "(unnamed)";
      this.ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
      this.id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    }
  }

  /** The strategy in use and the breakers it gave, by key; replaced whole when the strategy changes. */
  private record InUse<K>(Entry entry, Map<K, Breaker> breakers) {}

  private static final Comparator<Entry> BEST_FIRST =
      Comparator.<Entry>comparingInt(e -> -e.ranking).thenComparingLong(e -> e.id);

  private final Logger log;
  private final String scope;
  private final String guarded;
  private final BiConsumer<K, State[]> transitions;
  private List<Entry> entries = List.of();
  private volatile InUse<K> inUse = new InUse<>(null, new ConcurrentHashMap<>());
  private Consumer<String> inUseWatcher = name -> {};

  /**
   * @param scope the {@value CircuitBreakers#SCOPE} held, e.g. {@value CircuitBreakers#SCOPE_TIER}
   * @param guarded what is guarded, for the log: {@code block tier reads}
   * @param transitions told (key, {from, to}) of each state change of a key's breaker
   */
  public BreakerHolder(Logger log, String scope, String guarded, BiConsumer<K, State[]> transitions) {
    this.log = log;
    this.scope = scope;
    this.guarded = guarded;
    this.transitions = transitions;
  }

  /** A strategy bound, or its properties updated (a ranking change). */
  public synchronized void bind(CircuitBreakers strategy, Map<String, ?> props) {
    List<Entry> next = new ArrayList<>(entries);
    // A ranking change binds again: a strategy that threw stays dropped.
    boolean failed = next.stream().anyMatch(e -> e.strategy == strategy && e.failed);
    next.removeIf(e -> e.strategy == strategy);
    if (servesScope(props.get(CircuitBreakers.SCOPE))) {
      Entry entry = new Entry(strategy, props);
      entry.failed = failed;
      next.add(entry);
      next.sort(BEST_FIRST);
    } else {
      log.debug("{} circuit breakers {} are for another scope ({}): not used", scope,
          props.get(CircuitBreakers.STRATEGY), props.get(CircuitBreakers.SCOPE));
    }
    entries = List.copyOf(next);
    choose();
  }

  private boolean servesScope(Object value) {
    return switch (value) {
      case null -> true;
      case String s -> s.equals(scope);
      case String[] a -> List.of(a).contains(scope);
      case Collection<?> c -> c.contains(scope);
      default -> false;
    };
  }

  public synchronized void unbind(CircuitBreakers strategy) {
    List<Entry> next = new ArrayList<>(entries);
    next.removeIf(e -> e.strategy == strategy);
    entries = List.copyOf(next);
    choose();
  }

  /** Guarded by this: makes the best working strategy the one in use, if it is not already. */
  private void choose() {
    Entry best = entries.stream().filter(e -> !e.failed).findFirst().orElse(null);
    InUse<K> current = inUse;
    if (current.entry() == best) {
      return;
    }
    if (best != null && current.entry() != null && current.entry().strategy == best.strategy) {
      // The same strategy bound again with other properties (a ranking change): its breakers stay as they are.
      inUse = new InUse<>(best, current.breakers());
      return;
    }
    inUse = new InUse<>(best, new ConcurrentHashMap<>());
    tellInUse();
    log.info("{} are guarded by {}", guarded, best == null ? "nothing (no working " + scope + " guard strategy)"
        : "the " + best.name + " circuit breakers (service.id " + best.id + ")");
    // The strategy left behind forgets its breakers: if it is used again it starts from closed ones.
    if (current.entry() != null && entries.contains(current.entry())) {
      for (K key : current.breakers().keySet()) {
        try {
          current.entry().strategy.forget(String.valueOf(key));
        } catch (RuntimeException | LinkageError e) {
          // It is not in use any more; its failure changes nothing.
        }
      }
    }
  }

  /**
   * Tells {@code watcher} the name of the strategy in use ({@link #inUse()}) now and whenever it changes (a
   * bind, an unbind, a ranking change, a strategy dropped for throwing), so metrics can show it; it
   * replaces the watcher before. Called under this holder's lock: quick, and no call back into it.
   *
   * @since 1.1
   */
  public synchronized void watchInUse(Consumer<String> watcher) {
    inUseWatcher = watcher;
    tellInUse();
  }

  /** Guarded by this. */
  private void tellInUse() {
    try {
      inUseWatcher.accept(inUse());
    } catch (RuntimeException e) {
      log.warn("{} guard strategy watcher failed: {}", scope, e.toString());
    }
  }

  /** The name ({@code cairn.strategy}) of the strategy in use, or {@code none}. */
  public String inUse() {
    Entry e = inUse.entry();
    return e == null ? "none" : e.name;
  }

  /** Keys with a breaker under the strategy in use, by the state of their breaker now. */
  public Map<State, Integer> countByState() {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    for (State s : State.values()) {
      counts.put(s, 0);
    }
    for (Breaker b : inUse.breakers().values()) {
      counts.merge(b.state(), 1, Integer::sum);
    }
    return counts;
  }

  /** The breaker of {@code key}, under the strategy in use now. Never throws. */
  public Breaker breaker(K key) {
    InUse<K> current = inUse;
    if (current.entry() == null) {
      return NeverOpenBreakers.CLOSED;
    }
    Breaker b = current.breakers().get(key);
    if (b != null) {
      return b;
    }
    return current.breakers().computeIfAbsent(key, k -> {
      try {
        Breaker made = current.entry().strategy.breaker(String.valueOf(k),
            (from, to) -> transitions.accept(k, new State[] {from, to}));
        if (made == null) {
          throw new IllegalStateException("the strategy returned no breaker for " + scope + " " + k);
        }
        return new Isolated(current.entry(), made);
      } catch (RuntimeException | LinkageError e) {
        drop(current.entry(), e);
        return NeverOpenBreakers.CLOSED;
      }
    });
  }

  /** What {@code key} names left: every strategy forgets it. */
  public void forget(K key) {
    InUse<K> current = inUse;
    current.breakers().remove(key);
    String name = String.valueOf(key);
    for (Entry e : entries) {
      try {
        e.strategy.forget(name);
      } catch (RuntimeException | LinkageError error) {
        drop(e, error);
      }
    }
  }

  private void drop(Entry e, Throwable error) {
    synchronized (e) {
      if (e.failed) {
        return;
      }
      e.failed = true;
    }
    log.error(scope + " guard strategy {} (service.id {}) threw and is no longer used", e.name, e.id, error);
    synchronized (this) {
      choose();
    }
  }

  /**
   * A strategy's breaker with its failures kept inside: a method that throws drops the strategy and
   * answers as if unguarded (a call is let through; a result is not recorded).
   */
  private final class Isolated implements Breaker {
    private final Entry entry;
    private final Breaker breaker;

    Isolated(Entry entry, Breaker breaker) {
      this.entry = entry;
      this.breaker = breaker;
    }

    @Override
    public boolean tryAcquire() {
      try {
        return breaker.tryAcquire();
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
        return true;
      }
    }

    @Override
    public void succeeded(long nanos) {
      try {
        breaker.succeeded(nanos);
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
      }
    }

    @Override
    public void failed(long nanos, Throwable error) {
      try {
        breaker.failed(nanos, error);
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
      }
    }

    @Override
    public void released() {
      try {
        breaker.released();
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
      }
    }

    @Override
    public long timeoutNanos() {
      try {
        return Math.max(0, breaker.timeoutNanos());
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
        return 0;
      }
    }

    @Override
    public long retryAfterNanos() {
      try {
        return Math.max(0, breaker.retryAfterNanos());
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
        return 0;
      }
    }

    @Override
    public State state() {
      try {
        State s = breaker.state();
        return s == null ? State.CLOSED : s;
      } catch (RuntimeException | LinkageError e) {
        drop(entry, e);
        return State.CLOSED;
      }
    }
  }
}
