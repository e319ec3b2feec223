package io.cairn.blockstore.spi;

import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Guards the reads of block tiers (the seed design's CircuitBreaker, per tier): a tier whose reads fail
 * or are too slow is opened, its reads are skipped at once (the next tier is asked, or the read is a
 * miss), and after a wait a few probe reads are let through; when they succeed the tier is closed again.
 *
 * <p>A strategy service, registered with {@value #STRATEGY}{@code =<name>}. The tiered store holds every
 * one bound (DYNAMIC, GREEDY), uses the best ranked that its {@code tierGuard.target} matches, and guards
 * nothing when there is none. Called on every read, from any thread: fast, thread-safe, never blocking.
 * A method that throws makes the store stop using this strategy (logged once) for the next ranked, or
 * none. A read keeps the breaker it started with, so a swap never fails a read in flight.
 */
@ConsumerType
public interface TierGuard {
  /** The service property naming a strategy, e.g. {@code cairn.strategy=resilience4j}. */
  String STRATEGY = "cairn.strategy";

  /**
   * The breaker of the tier named {@code tier}: the same object for the same name until {@link #forget}.
   * {@code transitions} is told each change of its state (old, new), on the thread that caused it.
   */
  Breaker breaker(String tier, BiConsumer<State, State> transitions);

  /** The tier left: drop its breaker. */
  void forget(String tier);

  /** A breaker's state. */
  enum State {
    /** Reads go to the tier. */
    CLOSED,
    /** Reads skip the tier. */
    OPEN,
    /** A few probe reads go to the tier; the rest skip it. */
    HALF_OPEN
  }

  /** One tier's breaker. */
  interface Breaker {
    /**
     * Whether a read may go to the tier now. When it answers true, exactly one of {@link #succeeded},
     * {@link #failed} or {@link #released} must follow for that read.
     */
    boolean tryAcquire();

    /** The read was answered (found or not found) after {@code nanos}. */
    void succeeded(long nanos);

    /** The read failed, or timed out, after {@code nanos}. */
    void failed(long nanos, Throwable error);

    /** The read was permitted but not made. */
    void released();

    /** How long a read may take before it is failed and the next tier asked; 0: no limit. */
    long timeoutNanos();

    State state();
  }
}
