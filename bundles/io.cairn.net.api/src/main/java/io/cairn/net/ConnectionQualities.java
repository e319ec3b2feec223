package io.cairn.net;

import io.cairn.multiformats.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Tracks the {@link ConnectionQuality} of every connected peer. Protocols tell it how their requests to
 * a peer ended; it measures latency and bandwidth itself. Every method is cheap and never blocks:
 * callers are network threads.
 */
@ProviderType
public interface ConnectionQualities {
  /** How a request to a peer failed. */
  enum Failure {
    /** The peer reset the stream or the connection. */
    RESET,
    /** No answer within the protocol's timeout. */
    TIMEOUT,
    /** The peer answered with an error, or the request could not be sent. */
    FAILED,
    /** The peer said it would answer (or was asked) and never did before the request ended elsewhere. */
    UNANSWERED
  }

  /** The quality of a connected peer's connection (the seed's {@code GetConnectionQuality}). */
  Optional<ConnectionQuality> connectionQuality(PeerId peer);

  /** Every connected peer's. */
  List<ConnectionQuality> all();

  /** A request to {@code peer} was answered. */
  void succeeded(PeerId peer);

  /** A request to {@code peer} failed. */
  void failed(PeerId peer, Failure failure);

  /** A round trip to {@code peer} measured by a protocol (a ping). */
  void measured(PeerId peer, Duration roundTrip);
}
