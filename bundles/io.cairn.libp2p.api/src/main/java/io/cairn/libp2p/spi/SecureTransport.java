package io.cairn.libp2p.spi;

import io.cairn.multiformats.PeerId;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/** Secures a raw connection (e.g. {@code /noise}): authenticates the peer and encrypts the channel. */
@ConsumerType
public interface SecureTransport {
  /** Service property: the protocol id negotiated in multistream-select, e.g. {@code /noise}. */
  String PROTOCOL = "libp2p.security";

  String protocolId();

  /**
   * Called on {@code channel}'s event loop right after this protocol was negotiated, with nothing of
   * the handshake read yet; bytes already received follow through the pipeline. Adds the handshake at
   * the end of the pipeline, runs it, and on success leaves the transport codec there, so that whatever
   * the caller adds after it reads and writes plaintext {@code ByteBuf}s.
   *
   * <p>The future completes on the event loop with the peer's proven identity. It fails, and the
   * channel is closed, on any handshake error, a bad signature, or an identity other than
   * {@code expectedRemote} when dialling a known peer.
   *
   * @param initiator true when we dialled
   * @param muxers the muxer ids we would accept, best first, for the handshake's early muxer
   *     negotiation where the protocol has one; the session says which one both sides chose
   */
  CompletableFuture<SecureSession> secure(Channel channel, boolean initiator, Optional<PeerId> expectedRemote,
      List<String> muxers);
}
