package io.cairn.libp2p.yamux.internal;

import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_ACK;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.FLAG_SYN;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.HEADER_LENGTH;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.KNOWN_FLAGS;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_DATA;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_GO_AWAY;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_PING;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.TYPE_WINDOW_UPDATE;
import static io.cairn.libp2p.yamux.internal.YamuxFrame.VERSION;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the connection's plaintext into {@link YamuxFrame}s. Every header field is checked before
 * anything waits for a body: a data frame longer than the session allows (its stream's receive window)
 * is a protocol error at once, so a forged length such as 0xFFFFFFFF never makes us buffer or wait.
 * Bodies are retained slices of the received bytes, never copies.
 *
 * <p>After a protocol error the decoder discards everything that follows: the session is ending.
 */
final class YamuxFrameDecoder extends ByteToMessageDecoder {
  /** Tells the decoder how long a data frame may be, from the session's view of the stream. */
  interface DataLengthLimit {
    long maxDataLength(int streamId, int flags);
  }

  private final DataLengthLimit limit;
  /** The validated header of the data frame whose body is awaited, or null between frames. */
  private YamuxFrame header;
  private boolean failed;

  YamuxFrameDecoder(DataLengthLimit limit) {
    this.limit = limit;
    // Bodies up to 64 KiB span socket reads: appending the reads beats copying them into one buffer
    // (the merge cumulator's copy was the largest cost in bench/Libp2pLoad's profile).
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (header == null) {
      if (in.readableBytes() < HEADER_LENGTH) {
        return;
      }
      YamuxFrame frame = readHeader(in);
      if (frame.type() != TYPE_DATA) {
        out.add(frame);
        return;
      }
      header = frame;
    }
    int length = (int) header.length();
    if (in.readableBytes() < length) {
      return;
    }
    // The slice is the frame's; the frame goes to the session, which releases it or hands the data on.
    out.add(YamuxFrame.data(header.flags(), header.streamId(), in.readRetainedSlice(length)));
    header = null;
  }

  private YamuxFrame readHeader(ByteBuf in) {
    int version = in.readUnsignedByte();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedShort();
    int streamId = in.readInt();
    long length = in.readUnsignedInt();
    try {
      check(version == VERSION, "unsupported version " + version);
      check(type <= TYPE_GO_AWAY, "unknown frame type " + type);
      check((flags & ~KNOWN_FLAGS) == 0, "unknown flags 0x" + Integer.toHexString(flags));
      switch (type) {
        case TYPE_DATA, TYPE_WINDOW_UPDATE -> {
          check(streamId != 0, "stream frame (type " + type + ") on the session id 0");
          check((flags & (FLAG_SYN | FLAG_ACK)) != (FLAG_SYN | FLAG_ACK), "SYN and ACK on one frame");
          if (type == TYPE_DATA) {
            long max = limit.maxDataLength(streamId, flags);
            check(length <= max, "data frame of " + length + " bytes on stream " + Integer.toUnsignedLong(streamId)
                + " exceeds its receive window of " + max);
          }
        }
        case TYPE_PING -> {
          check(streamId == 0, "ping on stream " + Integer.toUnsignedLong(streamId));
          check(flags == FLAG_SYN || flags == FLAG_ACK, "ping flags 0x" + Integer.toHexString(flags));
        }
        default -> {
          check(streamId == 0, "go-away on stream " + Integer.toUnsignedLong(streamId));
          check(flags == 0, "go-away flags 0x" + Integer.toHexString(flags));
        }
      }
    } catch (YamuxProtocolException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
    return new YamuxFrame(type, flags, streamId, length, null);
  }

  private static void check(boolean valid, String violation) {
    if (!valid) {
      throw new YamuxProtocolException(violation);
    }
  }
}
