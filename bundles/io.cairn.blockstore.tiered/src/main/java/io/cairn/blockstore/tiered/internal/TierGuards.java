package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.spi.TierGuard;
import io.cairn.blockstore.spi.TierGuard.State;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/**
 * The tier guard strategies bound (a MULTIPLE DYNAMIC GREEDY reference), best ranked first, and the
 * breaker each tier has under the one in use. Reads ask {@link #breaker} for their tier's breaker and
 * keep it until they complete, so a swap (a bind, an unbind, a ranking change) never touches a read in
 * flight: the next read gets the new strategy's breaker. A strategy that throws is dropped (logged once)
 * and the next ranked is used; with none, reads are not guarded (the built-in {@link #UNGUARDED}).
 */
final class TierGuards {
  /** No strategy: every read goes to its tier and waits as long as the tier takes. */
  static final TierGuard.Breaker UNGUARDED = new TierGuard.Breaker() {
    @Override
    public boolean tryAcquire() {
      return true;
    }

    @Override
    public void succeeded(long nanos) {}

    @Override
    public void failed(long nanos, Throwable error) {}

    @Override
    public void released() {}

    @Override
    public long timeoutNanos() {
      return 0;
    }

    @Override
    public State state() {
      return State.CLOSED;
    }
  };

  /** One bound strategy; {@code failed} is set once, when it first throws. */
  private static final class Entry {
    final TierGuard guard;
    final String name;
    final int ranking;
    final long id;
    volatile boolean failed;

    Entry(TierGuard guard, Map<String, ?> props) {
      this.guard = guard;
      this.name = props.get(TierGuard.STRATEGY) instanceof Object n ? String.valueOf(n) : "(unnamed)";
      this.ranking = props.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0;
      this.id = props.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    }
  }

  /** The strategy in use and the breakers it gave, by tier name; replaced whole when the strategy changes. */
  private record InUse(Entry entry, Map<String, TierGuard.Breaker> breakers) {}

  private static final Comparator<Entry> BEST_FIRST =
      Comparator.<Entry>comparingInt(e -> -e.ranking).thenComparingLong(e -> e.id);

  private final Logger log;
  private final BiConsumer<String, State[]> transitions;
  private List<Entry> entries = List.of();
  private volatile InUse inUse = new InUse(null, new ConcurrentHashMap<>());

  /** @param transitions told (tier, {from, to}) of each state change of a tier's breaker */
  TierGuards(Logger log, BiConsumer<String, State[]> transitions) {
    this.log = log;
    this.transitions = transitions;
  }

  synchronized void bind(TierGuard guard, Map<String, ?> props) {
    List<Entry> next = new ArrayList<>(entries);
    // A ranking change binds again: a strategy that threw stays dropped.
    boolean failed = next.stream().anyMatch(e -> e.guard == guard && e.failed);
    next.removeIf(e -> e.guard == guard);
    Entry entry = new Entry(guard, props);
    entry.failed = failed;
    next.add(entry);
    next.sort(BEST_FIRST);
    entries = List.copyOf(next);
    choose();
  }

  synchronized void unbind(TierGuard guard) {
    List<Entry> next = new ArrayList<>(entries);
    next.removeIf(e -> e.guard == guard);
    entries = List.copyOf(next);
    choose();
  }

  /** Guarded by this: makes the best working strategy the one in use, if it is not already. */
  private void choose() {
    Entry best = entries.stream().filter(e -> !e.failed).findFirst().orElse(null);
    InUse current = inUse;
    if (current.entry() == best) {
      return;
    }
    inUse = new InUse(best, new ConcurrentHashMap<>());
    log.info("block tier reads are guarded by {}", best == null ? "nothing (no working tier guard strategy)"
        : "the " + best.name + " circuit breakers (service.id " + best.id + ")");
    // The strategy left behind forgets its breakers: if it is used again it starts from closed ones.
    if (current.entry() != null && entries.contains(current.entry())) {
      for (String tier : current.breakers().keySet()) {
        try {
          current.entry().guard.forget(tier);
        } catch (RuntimeException | LinkageError e) {
          // It is not in use any more; its failure changes nothing.
        }
      }
    }
  }

  /** The name ({@code cairn.strategy}) of the strategy in use, or {@code none}. */
  String inUse() {
    Entry e = inUse.entry();
    return e == null ? "none" : e.name;
  }

  /** The breaker of the tier named, under the strategy in use now. Never throws. */
  TierGuard.Breaker breaker(String tier) {
    InUse current = inUse;
    if (current.entry() == null) {
      return UNGUARDED;
    }
    TierGuard.Breaker b = current.breakers().get(tier);
    if (b != null) {
      return b;
    }
    return current.breakers().computeIfAbsent(tier, name -> {
      try {
        TierGuard.Breaker made = current.entry().guard.breaker(name,
            (from, to) -> transitions.accept(name, new State[] {from, to}));
        if (made == null) {
          throw new IllegalStateException("the strategy returned no breaker for tier " + name);
        }
        return new Isolated(current.entry(), made);
      } catch (RuntimeException | LinkageError e) {
        drop(current.entry(), e);
        return UNGUARDED;
      }
    });
  }

  /** The tier left: every strategy forgets it. */
  void forget(String tier) {
    InUse current = inUse;
    current.breakers().remove(tier);
    for (Entry e : entries) {
      try {
        e.guard.forget(tier);
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
    log.error("tier guard strategy {} (service.id {}) threw and is no longer used", e.name, e.id, error);
    synchronized (this) {
      choose();
    }
  }

  /**
   * A strategy's breaker with its failures kept inside: a method that throws drops the strategy and
   * answers as if unguarded (a read is let through; a result is not recorded).
   */
  private final class Isolated implements TierGuard.Breaker {
    private final Entry entry;
    private final TierGuard.Breaker breaker;

    Isolated(Entry entry, TierGuard.Breaker breaker) {
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
