package io.cairn.libp2p.noise.internal;

import io.cairn.libp2p.noise.internal.NoiseException.Reason;
import io.cairn.libp2p.spi.SecureSession;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PublicKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * Runs one XX handshake on the frames the {@link NoiseFrameDecoder} before it cuts, as initiator (writes
 * message 1, reads 2, writes 3) or responder (reads 1, writes 2, reads 3). The peer's payload must
 * carry an identity key that signed the peer's static Noise key, and that key must be the expected
 * peer's when one is given. Then the handler replaces itself with the {@link NoiseTransportCodec} and
 * completes the future; frames the decoder still holds go to the codec.
 *
 * <p>Any failure, the timeout included, fails the future with a {@link NoiseException} and closes the
 * channel; frames arriving after that are dropped.
 */
final class NoiseHandshakeHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "noise-handshake";

  private final boolean initiator;
  private final LocalIdentity local;
  private final Optional<PeerId> expectedRemote;
  private final List<String> muxers;
  private final long timeoutMillis;
  private final CompletableFuture<SecureSession> result;
  private final Logger log;
  private final HandshakeState handshake;
  private ScheduledFuture<?> timeout;

  /**
   * @param muxers our stream muxers, best first, for early negotiation; empty to leave it to
   *     multistream-select
   * @param result completed on the event loop with the peer's proven identity, or failed
   */
  NoiseHandshakeHandler(boolean initiator, LocalIdentity local, Optional<PeerId> expectedRemote, List<String> muxers,
      long timeoutMillis, CompletableFuture<SecureSession> result, Logger log) {
    this.initiator = initiator;
    this.local = local;
    this.expectedRemote = expectedRemote;
    this.muxers = List.copyOf(muxers);
    this.timeoutMillis = timeoutMillis;
    this.result = result;
    this.log = log;
    // libp2p's prologue is empty.
    this.handshake = new HandshakeState(initiator, new byte[0], local.staticKey(), X25519::generate);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(
        () -> fail(ctx, new NoiseException(Reason.TIMEOUT, "handshake not finished after " + timeoutMillis + " ms")),
        timeoutMillis, TimeUnit.MILLISECONDS);
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  /** The initiator speaks first: its ephemeral key, no payload (nothing is encrypted yet). */
  private void start(ChannelHandlerContext ctx) {
    if (initiator && handshake.isOurTurn() && !result.isDone()) {
      try {
        send(ctx, handshake.writeMessage(new byte[0]));
      } catch (NoiseException e) {
        fail(ctx, e);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!result.isDone()) {
        // A copy: handshake messages are small and HandshakeState works on arrays.
        read(ctx, ByteBufUtil.getBytes(frame));
      }
    } catch (NoiseException e) {
      fail(ctx, e);
    } finally {
      frame.release(); // the frame decoder's slice, handed to us
    }
  }

  private void read(ChannelHandlerContext ctx, byte[] message) throws NoiseException {
    byte[] payload = handshake.readMessage(message);
    if (!initiator && !handshake.isComplete()) {
      // Message 1's payload is neither encrypted nor authenticated: ignored. Message 2 carries ours.
      send(ctx, handshake.writeMessage(local.payload(muxers).encode()));
      return;
    }
    // Message 2 (we initiated) or 3 (we respond): the peer proves who it is.
    HandshakePayload remote = HandshakePayload.decode(payload);
    PublicKey remoteKey = remote.authenticate(handshake.remoteStaticKey());
    PeerId remotePeer = PeerId.fromPublicKey(remoteKey);
    if (expectedRemote.isPresent() && !expectedRemote.get().matches(remoteKey)) {
      throw new NoiseException(Reason.UNEXPECTED_PEER,
          "expected peer " + expectedRemote.get() + " but the peer proved to be " + remotePeer);
    }
    Optional<String> muxer = initiator
        ? chooseMuxer(muxers, remote.streamMuxers())
        : chooseMuxer(remote.streamMuxers(), muxers);
    if (initiator) {
      send(ctx, handshake.writeMessage(local.payload(muxers).encode()));
    }
    complete(ctx, new SecureSession(remotePeer, remoteKey, muxer));
  }

  /**
   * Early muxer negotiation (libp2p/specs connections/inlined-muxer-negotiation.md): the first of the
   * initiator's muxers that the responder lists too; none in common fails the handshake. A side that
   * lists none does not take part, and multistream-select chooses after the handshake as before.
   * (go-libp2p picks by the responder's order instead: the same muxer whenever the two lists have just
   * one in common, as when both offer only yamux.)
   */
  static Optional<String> chooseMuxer(List<String> initiatorMuxers, List<String> responderMuxers) throws NoiseException {
    if (initiatorMuxers.isEmpty() || responderMuxers.isEmpty()) {
      return Optional.empty();
    }
    for (String muxer : initiatorMuxers) {
      if (responderMuxers.contains(muxer)) {
        return Optional.of(muxer);
      }
    }
    throw new NoiseException(Reason.NO_COMMON_MUXER, "no stream muxer in common: the initiator offers "
        + initiatorMuxers.size() + ", the responder " + responderMuxers.size() + ", none on both lists");
  }

  private void complete(ChannelHandlerContext ctx, SecureSession session) {
    HandshakeState.TransportKeys keys = handshake.split();
    // Before completing: the caller's callback adds its handlers after the codec, and frames that came
    // in the same read as the last handshake message reach the codec once this handler is gone.
    // Removing this handler cancels the timeout.
    ctx.pipeline().replace(this, NoiseTransportCodec.NAME, new NoiseTransportCodec(keys.send(), keys.receive(), log));
    if (!result.complete(session)) {
      ctx.close(); // the caller cancelled meanwhile and wants no connection
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, new NoiseException(Reason.CONNECTION_CLOSED, "connection closed during the handshake"));
    ctx.fireChannelInactive();
  }

  /** Failures from the frame decoder or the connection; the handshake's own are caught where they occur. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    NoiseException failure = switch (cause) {
      case NoiseException e -> e;
      case IOException e -> new NoiseException(Reason.CONNECTION_CLOSED, "connection failed during the handshake: " + e, e);
      default -> new NoiseException(Reason.INTERNAL, "handshake failed: " + cause, cause);
    };
    fail(ctx, failure);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  /** Sends one handshake message, length-prefixed; a failed write fails the handshake. */
  private void send(ChannelHandlerContext ctx, byte[] message) {
    // Handed to the channel, which releases it once written or failed.
    ByteBuf frame = ctx.alloc().buffer(NoiseFrameDecoder.LENGTH_FIELD + message.length)
        .writeShort(message.length)
        .writeBytes(message);
    ChannelFutureListener onFailure = f -> {
      if (!f.isSuccess()) {
        fail(ctx, new NoiseException(Reason.CONNECTION_CLOSED, "could not send a handshake message: " + f.cause(), f.cause()));
      }
    };
    ctx.writeAndFlush(frame).addListener(onFailure);
  }

  private void fail(ChannelHandlerContext ctx, NoiseException cause) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (result.completeExceptionally(cause)) {
      log.debug("Noise handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
    }
    ctx.close();
  }
}
