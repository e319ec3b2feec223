package io.cairn.libp2p;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of the bytes libp2p streams carry, for a bandwidth counter: a whiteboard service the host asks once
 * per stream, when its protocol has been negotiated, for the {@link Meter} that stream's payload is then
 * counted on, each way. The multistream negotiation before it, and the security and muxer framing around
 * it, are not counted (as go-libp2p's bandwidth counter counts). A stream opened while no observer is
 * registered is not counted, even after one comes.
 *
 * @since 1.4
 */
@ConsumerType
public interface TrafficObserver {
  /**
   * A stream's protocol was negotiated: the meter for its bytes, or null not to count them. Called on the
   * stream's event loop; must not block.
   */
  Meter streamOpened(StreamInfo stream);

  /** Counts one stream's bytes. Called on the stream's event loop for every read and write: keep it cheap. */
  interface Meter {
    void received(int bytes);

    void sent(int bytes);
  }
}
