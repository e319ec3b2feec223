package io.cairn.libp2p;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serves one or more stream protocols. A service with the property {@value #PROTOCOL} (one value or
 * several: {@code /ipfs/bitswap/1.2.0}, {@code /ipfs/bitswap/1.1.0}) is offered on inbound streams and
 * announced in identify; when it comes or goes the host pushes identify to connected peers.
 */
@ConsumerType
public interface StreamHandler {
  /** Service property: the protocol ids this handler serves. */
  String PROTOCOL = "libp2p.protocol";

  /**
   * Called on the stream's event loop once the protocol is negotiated, before any of its bytes are
   * read: add this protocol's handlers to {@code stream.pipeline()}. Bytes that arrived with the
   * negotiation follow through the pipeline. Inbound {@code ByteBuf}s are owned by the handler that
   * receives them; closing the channel closes the stream for writing and reading (a yamux FIN then RST).
   */
  void initStream(StreamChannel stream, StreamInfo info);
}
