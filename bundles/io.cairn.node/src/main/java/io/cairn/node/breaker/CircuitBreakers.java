package io.cairn.node.breaker;

import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Circuit breakers (the seed design's CircuitBreaker), one per thing guarded: a block tier whose reads
 * fail or are too slow, or a bitswap peer whose sends keep timing out (boxo#1142), is opened: its calls
 * are skipped at once (the next tier is asked, or the read is a miss; the peer's messages are held, not
 * attempted), and after a wait a few probe calls are let through; when they succeed it is closed again.
 *
 * <p>A strategy service, registered with {@value #STRATEGY}{@code =<name>} and {@value #SCOPE} naming what
 * it guards ({@value #SCOPE_TIER} or {@value #SCOPE_PEER}; a strategy that serves both may carry both
 * values). A consumer holds every one of its scope bound (DYNAMIC, GREEDY) through a {@link BreakerHolder},
 * uses the best ranked that its {@code <reference>.target} matches, and guards nothing when there is none.
 * Called on every guarded call, from any thread: fast, thread-safe, never blocking. A method that throws
 * makes the consumer stop using this strategy (logged once) for the next ranked, or none. A call keeps the
 * breaker it started with, so a swap never fails a call in flight.
 */
@ConsumerType
public interface CircuitBreakers {
  /** The service property naming a strategy, e.g. {@code cairn.strategy=resilience4j}. */
  String STRATEGY = "cairn.strategy";

  /** The service property naming what the breakers guard: {@value #SCOPE_TIER} or {@value #SCOPE_PEER}. */
  String SCOPE = "cairn.breaker.scope";

  /** Breakers of block tiers, keyed by tier name; the tiered store reports each read of a tier. */
  String SCOPE_TIER = "tier";

  /** Breakers of bitswap peers, keyed by peer id; the bitswap network reports each message sent. */
  String SCOPE_PEER = "peer";

  /**
   * The breaker of what is named {@code key} (a tier's name, a peer's id): the same object for the same
   * key until {@link #forget}. {@code transitions} is told each change of its state (old, new), on the
   * thread that caused it.
   */
  Breaker breaker(String key, BiConsumer<State, State> transitions);

  /** What {@code key} names left (a tier removed, a peer disconnected): drop its breaker. */
  void forget(String key);

  /** A breaker's state. */
  enum State {
    /** Calls go through (reads go to the tier; messages go out). */
    CLOSED,
    /** Calls are skipped (reads skip the tier; the peer is paused, its messages held). */
    OPEN,
    /** A few probe calls go through; the rest are skipped. */
    HALF_OPEN
  }

  /** One breaker. */
  interface Breaker {
    /**
     * Whether a call may be made now. When it answers true, exactly one of {@link #succeeded},
     * {@link #failed} or {@link #released} must follow for that call.
     */
    boolean tryAcquire();

    /**
     * The call was answered after {@code nanos}: a read found or not found; a message written to the
     * connection {@code nanos} after it was handed to the stream.
     */
    void succeeded(long nanos);

    /** The call failed, or timed out (a peer that did not read its message), after {@code nanos}. */
    void failed(long nanos, Throwable error);

    /** The call was permitted but not made, for a reason that says nothing of what is guarded. */
    void released();

    /** How long a call may take before the caller fails it (a tier read: the next tier is asked); 0: no limit of the breaker's own. */
    long timeoutNanos();

    /** While {@link State#OPEN}: how long until a probe may go (at least 1 ms); otherwise 0. */
    long retryAfterNanos();

    State state();
  }
}
