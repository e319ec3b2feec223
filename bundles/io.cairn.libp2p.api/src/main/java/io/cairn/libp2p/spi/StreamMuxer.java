package io.cairn.libp2p.spi;

import io.cairn.libp2p.StreamChannel;
import io.netty.channel.Channel;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/** Multiplexes streams over a secured connection (e.g. {@code /yamux/1.0.0}). */
@ConsumerType
public interface StreamMuxer {
  /** Service property: the protocol id negotiated in multistream-select, e.g. {@code /yamux/1.0.0}. */
  String PROTOCOL = "libp2p.muxer";

  String protocolId();

  /**
   * Called on {@code connection}'s event loop once the connection is secured and this muxer chosen;
   * adds the muxer at the end of the pipeline (it reads and writes plaintext {@code ByteBuf}s).
   * Every stream the peer opens is registered as a child {@link StreamChannel}, active, with an empty
   * pipeline, and passed to {@code inbound} on the event loop before any of its data is read, so the
   * caller can install its protocol negotiation first.
   */
  MuxedSession start(Channel connection, boolean initiator, Consumer<StreamChannel> inbound);
}
