package io.cairn.libp2p;

import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** A secured, multiplexed connection to one peer. */
@ProviderType
public interface Connection {
  PeerId remotePeer();

  PublicKey remotePublicKey();

  Multiaddr remoteAddress();

  Multiaddr localAddress();

  Direction direction();

  /** The security protocol id, e.g. {@code /noise}. */
  String security();

  /** The muxer protocol id, e.g. {@code /yamux/1.0.0}. */
  String muxer();

  Instant opened();

  /** Streams open now, both directions. */
  int streamCount();

  /**
   * The protocols of the streams open now whose negotiation has finished, one entry per stream (Kubo's
   * {@code swarm/peers?streams=true}).
   *
   * @since 1.4
   */
  List<String> streamProtocols();

  /**
   * The path's round trip as the muxer last measured it (yamux pings at connect and at every
   * keep-alive), empty before it is known. Cheap, any thread: for those sizing what they keep in
   * flight to the peer (a bandwidth-delay product).
   *
   * @since 1.3
   */
  Optional<Duration> roundTrip();

  /**
   * Pings the peer through the muxer (no stream: a yamux ping frame) and completes with the round trip,
   * which {@link #roundTrip()} then reports. One is in flight at a time (asking meanwhile shares it); no
   * deadline is set here, a keep-alive sets its own; fails when the connection closes first.
   *
   * @since 1.4
   */
  CompletableFuture<Duration> ping();

  /**
   * Opens a stream and negotiates the first of {@code protocols} the peer supports. Once it is
   * negotiated, {@code initializer} sets up the stream's pipeline on the event loop, before any byte
   * that followed the negotiation is delivered (as for inbound streams); then the future completes
   * with the stream. It fails with {@link ProtocolNotSupportedException} when the peer supports none,
   * or another {@link Libp2pException}; the stream is then reset.
   */
  CompletableFuture<StreamChannel> openStream(List<String> protocols, StreamHandler initializer);

  /** Closes the connection (a GoAway, then the TCP connection). */
  CompletableFuture<Void> close();

  boolean isOpen();
}
