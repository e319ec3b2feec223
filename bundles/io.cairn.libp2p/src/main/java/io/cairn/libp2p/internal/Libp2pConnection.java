package io.cairn.libp2p.internal;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.cairn.libp2p.spi.MuxedSession;
import io.cairn.libp2p.spi.SecureSession;
import io.cairn.multiformats.Multiaddr;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PublicKey;
import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** One upgraded connection: its TCP channel, the peer's proven identity, and the muxed session over it. */
final class Libp2pConnection implements Connection {
  private final Channel channel;
  private final SecureSession secure;
  /** Set once, on the event loop, right after the muxer starts; streams can only come after that. */
  private volatile MuxedSession muxed;
  private final Direction direction;
  private final String security;
  private final String muxer;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final MultistreamLimits streamNegotiation;
  private final StreamTraffic traffic;
  private final Instant opened = Instant.now();
  /** The streams whose protocol is negotiated, until they close. */
  private final Map<StreamChannel, String> protocols = new ConcurrentHashMap<>();

  Libp2pConnection(Channel channel, SecureSession secure, Direction direction, String security,
      String muxer, MultistreamLimits streamNegotiation, StreamTraffic traffic) {
    this.channel = channel;
    this.secure = secure;
    this.direction = direction;
    this.security = security;
    this.muxer = muxer;
    this.remoteAddress = Addresses.of(channel.remoteAddress());
    this.localAddress = Addresses.of(channel.localAddress());
    this.streamNegotiation = streamNegotiation;
    this.traffic = traffic;
  }

  void attach(MuxedSession session) {
    this.muxed = session;
  }

  Channel channel() {
    return channel;
  }

  @Override
  public PeerId remotePeer() {
    return secure.remotePeer();
  }

  @Override
  public PublicKey remotePublicKey() {
    return secure.remoteKey();
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public String security() {
    return security;
  }

  @Override
  public String muxer() {
    return muxer;
  }

  @Override
  public Instant opened() {
    return opened;
  }

  @Override
  public int streamCount() {
    return muxed.streamCount();
  }

  @Override
  public List<String> streamProtocols() {
    return List.copyOf(protocols.values());
  }

  @Override
  public Optional<Duration> roundTrip() {
    MuxedSession session = muxed;
    return session == null ? Optional.empty() : session.roundTrip();
  }

  @Override
  public CompletableFuture<Duration> ping() {
    MuxedSession session = muxed;
    return session == null ? CompletableFuture.failedFuture(new Libp2pException("the connection is not muxed yet"))
        : session.ping();
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }

  @Override
  public CompletableFuture<StreamChannel> openStream(List<String> protocols, StreamHandler initializer) {
    CompletableFuture<StreamChannel> result = new CompletableFuture<>();
    // Opened from the connection's event loop, and negotiated in the same task that sees it open:
    // the peer answers our SYN at once, and a read before the dialer is in place would drop its
    // multistream header. Reads are only processed in later iterations of the loop.
    channel.eventLoop().execute(() -> muxed.openStream().whenComplete((stream, error) -> {
      if (error != null) {
        result.completeExceptionally(new Libp2pException("cannot open a stream to " + remotePeer() + ": " + error.getMessage(), error));
        return;
      }
      Multistream.Dialer dialer = new Multistream.Dialer(streamNegotiation, protocols,
          protocol -> negotiated(stream, new StreamInfo(protocol, remotePeer(), this, Direction.OUTBOUND), initializer));
      dialer.result.whenComplete((protocol, failure) -> {
        if (failure != null) {
          stream.reset();
          result.completeExceptionally(failure);
        } else {
          result.complete(stream);
        }
      });
      stream.pipeline().addLast(StreamTraffic.NEGOTIATOR, dialer);
    }));
    return result;
  }

  /** Serves a stream the peer opened: negotiates among {@code handlers}, then lets the chosen one set it up. */
  void acceptStream(StreamChannel stream, StreamHandlers handlers) {
    Multistream.Listener listener = new Multistream.Listener(streamNegotiation, handlers::serves,
        protocol -> negotiated(stream, new StreamInfo(protocol, remotePeer(), this, Direction.INBOUND), handlers.get(protocol)));
    listener.result.whenComplete((protocol, failure) -> {
      if (failure != null) {
        stream.reset();
      }
    });
    stream.pipeline().addLast(StreamTraffic.NEGOTIATOR, listener);
  }

  /** A stream's protocol is chosen: it is listed and metered until it closes, then set up by its handler. */
  private void negotiated(StreamChannel stream, StreamInfo info, StreamHandler handler) {
    protocols.put(stream, info.protocol());
    stream.closeFuture().addListener(f -> protocols.remove(stream));
    traffic.meter(stream, info);
    handler.initStream(stream, info);
  }

  @Override
  public CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel.closeFuture().addListener(f -> done.complete(null));
    channel.eventLoop().execute(muxed::close);
    return done;
  }

  @Override
  public String toString() {
    return remotePeer() + " " + direction.name().toLowerCase() + " " + remoteAddress;
  }
}
