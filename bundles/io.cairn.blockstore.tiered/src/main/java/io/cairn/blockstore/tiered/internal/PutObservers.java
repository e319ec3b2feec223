package io.cairn.blockstore.tiered.internal;

import io.cairn.blockstore.Block;
import io.cairn.blockstore.MultiTierBlockstore;
import io.cairn.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The put observers of {@link MultiTierBlockstore#observePuts}, kept so that a put costs next to nothing
 * while nobody observes (one volatile read and a striped counter up and down) and so that a new observer
 * misses no put: neither those that begin after it registers (they see it) nor those that began before
 * (registration waits for them to complete).
 *
 * <p>The observers live in immutable <em>generations</em>. A put joins the current generation (counts
 * itself in it, then checks it is still current, else leaves and retries), tells its observers, and leaves
 * when its write completes. Changing the observers installs a new generation and waits until the old one
 * has no put left: the count is raised before the check and the new generation published before the count
 * is read, so a put either sees the new generation or is seen by the wait (the store-load order of
 * volatile writes and reads). Changes are serialised and each waits out its predecessor, so at most the
 * current and one old generation ever hold puts.
 */
final class PutObservers {
  /** One set of observers and the puts that joined while it was current. */
  static final class Generation {
    private final List<Consumer<Cid>> observers;
    private final LongAdder inFlight = new LongAdder();

    private Generation(List<Consumer<Cid>> observers) {
      this.observers = observers;
    }

    /** The put that joined this generation has completed (or failed). */
    void leave() {
      inFlight.decrement();
    }
  }

  private final Object changes = new Object();
  private volatile Generation current = new Generation(List.of());

  /**
   * A put of {@code blocks} begins: tells the observers every CID and returns the generation to
   * {@link Generation#leave} when the put completes. If an observer throws, the put has already left and
   * the exception propagates.
   */
  Generation join(List<Block> blocks) {
    while (true) {
      Generation g = current;
      g.inFlight.increment();
      if (g != current) {
        g.inFlight.decrement();
        continue;
      }
      if (!g.observers.isEmpty()) {
        try {
          for (Block b : blocks) {
            for (Consumer<Cid> o : g.observers) {
              o.accept(b.cid());
            }
          }
        } catch (RuntimeException | Error e) {
          g.inFlight.decrement();
          throw e;
        }
      }
      return g;
    }
  }

  /** Adds {@code observer}; returns once every put that could not have told it has completed. */
  MultiTierBlockstore.Observation add(Consumer<Cid> observer) {
    change(observer, true);
    return () -> change(observer, false);
  }

  private void change(Consumer<Cid> observer, boolean add) {
    synchronized (changes) {
      Generation old = current;
      List<Consumer<Cid>> next = new ArrayList<>(old.observers);
      if (add) {
        next.add(observer);
      } else if (!next.remove(observer)) {
        return; // closed twice
      }
      current = new Generation(List.copyOf(next));
      // Puts complete when durable (milliseconds); polling costs nothing on the put path.
      while (old.inFlight.sum() != 0) {
        LockSupport.parkNanos(50_000);
      }
    }
  }

  /** The generation puts join now (tests). */
  Generation current() {
    return current;
  }
}
