package io.cairn.libp2p;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One multiplexed stream: a child channel of its connection, on the connection's event loop.
 *
 * <ul>
 *   <li>Writes are {@code ByteBuf}s, sent within the peer's receive window; the channel turns
 *       unwritable while more than its high-water mark waits for window, and writable again after.
 *   <li>Reads honour {@code autoRead}: while it is off, data stays buffered up to our receive window
 *       and no window is returned, so the peer stops sending (back-pressure over the network).
 *   <li>The peer's FIN fires {@link io.netty.channel.socket.ChannelInputShutdownEvent#INSTANCE}; the
 *       channel stays writable. It turns inactive once both directions are closed or on a reset.
 *   <li>{@link #close()} half-closes (FIN) if that is not done yet and drops whatever still arrives;
 *       the stream's state goes when the peer closes or resets its side.
 * </ul>
 */
@ProviderType
public interface StreamChannel extends Channel {
  /** Sends FIN: no more writes, reading goes on. */
  ChannelFuture closeWrite();

  /** Aborts the stream (yamux RST): both directions end at once, unread and unsent data are dropped. */
  void reset();

  /** Whether the peer has closed its side (sent FIN). */
  boolean isInputShutdown();

  /** The stream id on the wire. */
  long streamId();
}
