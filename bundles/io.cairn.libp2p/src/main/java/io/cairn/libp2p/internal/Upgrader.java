package io.cairn.libp2p.internal;

import io.cairn.libp2p.Direction;
import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.spi.SecureSession;
import io.cairn.libp2p.spi.SecureTransport;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.multiformats.PeerId;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a raw TCP channel into a {@link Libp2pConnection}, as go-libp2p's upgrader does, in explicit
 * steps under one deadline: negotiate security over multistream → secure (Noise) → take the muxer
 * chosen inside the handshake or negotiate one over multistream → start it. Any failure closes the
 * channel and fails the future with what went wrong.
 */
final class Upgrader {
  private final Ranked<SecureTransport> security;
  private final Ranked<StreamMuxer> muxers;
  private final StreamTraffic traffic;

  Upgrader(Ranked<SecureTransport> security, Ranked<StreamMuxer> muxers, StreamTraffic traffic) {
    this.security = security;
    this.muxers = muxers;
    this.traffic = traffic;
  }

  /** Runs on {@code channel}'s event loop; the channel is active with an empty pipeline. */
  CompletableFuture<Libp2pConnection> upgrade(Channel channel, Direction direction, Optional<PeerId> expected,
      HostSettings settings, StreamHandlers handlers) {
    CompletableFuture<Libp2pConnection> result = new CompletableFuture<>();
    boolean initiator = direction == Direction.OUTBOUND;
    List<SecureTransport> transports = security.sorted();
    List<StreamMuxer> muxerList = muxers.sorted();
    if (transports.isEmpty() || muxerList.isEmpty()) {
      fail(channel, result, new Libp2pException("no " + (transports.isEmpty() ? "security transport" : "stream muxer")
          + " is installed (is the io.cairn.libp2p.noise / .yamux bundle active?)"));
      return result;
    }
    ScheduledFuture<?> deadline = channel.eventLoop().schedule(
        () -> fail(channel, result, new Libp2pException("upgrade took longer than " + settings.upgradeTimeout().toMillis() + " ms")),
        settings.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((c, e) -> deadline.cancel(false));
    channel.closeFuture().addListener(f -> fail(channel, result, new Libp2pException("the peer closed the connection during the upgrade")));

    List<String> securityIds = transports.stream().map(SecureTransport::protocolId).toList();
    List<String> muxerIds = muxerList.stream().map(StreamMuxer::protocolId).toList();
    MultistreamLimits limits = settings.connectionNegotiation();

    java.util.function.Consumer<String> onSecurity = securityId -> {
      SecureTransport transport = transports.get(securityIds.indexOf(securityId));
      transport.secure(channel, initiator, expected, muxerIds).whenComplete((session, error) -> {
        if (error != null) {
          fail(channel, result, new Libp2pException(securityId + " handshake failed: " + error.getMessage(), error));
          return;
        }
        Optional<String> early = session.earlyMuxer().filter(muxerIds::contains);
        java.util.function.Consumer<String> onMuxer = muxerId -> {
          Libp2pConnection connection = new Libp2pConnection(channel, session, direction, securityId, muxerId,
              settings.streamNegotiation(), traffic);
          StreamMuxer muxer = muxerList.get(muxerIds.indexOf(muxerId));
          connection.attach(muxer.start(channel, initiator, stream -> connection.acceptStream(stream, handlers)));
          result.complete(connection);
        };
        runOnLoop(channel, () -> {
          if (early.isPresent()) {
            onMuxer.accept(early.get());
          } else {
            negotiate(channel, initiator, limits, muxerIds, onMuxer, result);
          }
        });
      });
    };
    negotiate(channel, initiator, limits, securityIds, onSecurity, result);
    return result;
  }

  private static void negotiate(Channel channel, boolean initiator, MultistreamLimits limits, List<String> ids,
      java.util.function.Consumer<String> onSelected, CompletableFuture<Libp2pConnection> result) {
    Multistream.Negotiator negotiator = initiator
        ? new Multistream.Dialer(limits, ids, onSelected)
        : new Multistream.Listener(limits, ids::contains, onSelected);
    negotiator.result.whenComplete((id, error) -> {
      if (error != null) {
        fail(channel, result, new Libp2pException("negotiating " + ids + ": " + error.getMessage(), error));
      }
    });
    channel.pipeline().addLast(negotiator);
  }

  private static void runOnLoop(Channel channel, Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
    } else {
      channel.eventLoop().execute(task);
    }
  }

  private static void fail(Channel channel, CompletableFuture<Libp2pConnection> result, Throwable cause) {
    if (result.completeExceptionally(cause)) {
      channel.close();
    }
  }
}
