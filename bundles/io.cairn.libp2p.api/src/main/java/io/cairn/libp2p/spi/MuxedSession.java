package io.cairn.libp2p.spi;

import io.cairn.libp2p.StreamChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** The muxer's side of one connection. */
@ProviderType
public interface MuxedSession {
  /**
   * Opens an outbound stream: completes with an active child {@link StreamChannel} with an empty
   * pipeline, or fails when the session is closing or the muxer's stream limit is reached.
   */
  CompletableFuture<StreamChannel> openStream();

  /** Streams open now, both directions. */
  int streamCount();

  /**
   * The connection's last measured round trip (yamux measures it with its own pings), empty where the
   * muxer does not measure one or before its first answer. Any thread.
   *
   * @since 1.1
   */
  default Optional<Duration> roundTrip() {
    return Optional.empty();
  }

  /**
   * Pings the peer through the muxer (yamux's ping frame) and completes with the round trip, which also
   * becomes {@link #roundTrip()}. One ping is in flight at a time: asking meanwhile shares its answer.
   * The muxer sets no deadline of its own (a keep-alive manager judges silence); the future fails when
   * the session ends first, at once when it has ended, and at once where the muxer cannot ping.
   *
   * @since 1.2
   */
  default CompletableFuture<Duration> ping() {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("this muxer cannot ping"));
  }

  /** Tells the peer no more streams will be accepted (GoAway), then closes the connection. */
  void close();
}
