package io.cairn.bitswap.spi;

import io.cairn.multiformats.PeerId;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Guards the sends to each peer (the seed design's CircuitBreaker, per peer; boxo#1142): a peer whose
 * sends keep timing out is paused: its messages are held, not attempted, so nothing waits on a peer that
 * does not read; after a wait one probe goes, and the peer resumes when it is written.
 *
 * <p>A strategy service, registered with {@value #STRATEGY}{@code =<name>}. The bitswap network holds
 * every one bound (DYNAMIC, GREEDY), uses the best ranked that its {@code peerGuard.target} matches, and
 * guards nothing when there is none. Called for every message, from any thread: fast, thread-safe, never
 * blocking. A method that throws makes the network stop using this strategy (logged once) for the next
 * ranked, or none. A message keeps the breaker it was sent under, so a swap never fails a send in flight.
 */
@ConsumerType
public interface PeerGuard {
  /** The service property naming a strategy, e.g. {@code cairn.strategy=resilience4j}. */
  String STRATEGY = "cairn.strategy";

  /**
   * The breaker of {@code peer}: the same object for the same peer until {@link #forget}.
   * {@code transitions} is told each change of its state (old, new), on the thread that caused it.
   */
  Breaker breaker(PeerId peer, BiConsumer<State, State> transitions);

  /** The peer disconnected: drop its breaker. */
  void forget(PeerId peer);

  /** A breaker's state. */
  enum State {
    /** Messages go out. */
    CLOSED,
    /** The peer is paused: messages are held. */
    OPEN,
    /** Probe messages go out; the rest are held. */
    HALF_OPEN
  }

  /** One peer's breaker. */
  interface Breaker {
    /**
     * Whether a message may be written now. When it answers true, exactly one of {@link #succeeded},
     * {@link #failed} or {@link #released} must follow for that message.
     */
    boolean tryAcquire();

    /** The message was written to the connection {@code nanos} after it was handed to the stream. */
    void succeeded(long nanos);

    /** The message timed out (the peer did not read it) after {@code nanos}. */
    void failed(long nanos, Throwable error);

    /** The message was permitted but not written for a reason that says nothing of the peer (it left). */
    void released();

    /** While {@link State#OPEN}: how long until a probe may go (at least 1 ms); otherwise 0. */
    long retryAfterNanos();

    State state();
  }
}
