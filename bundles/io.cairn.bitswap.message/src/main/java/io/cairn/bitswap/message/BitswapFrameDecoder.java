package io.cairn.bitswap.message;

import io.cairn.multiformats.InvalidVarintException;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a bitswap stream into message bodies: each message is an unsigned-varint length, then that
 * many bytes. The length is checked against the limit as its bytes arrive, so an oversize message is
 * refused before any of its body is awaited or buffered; a length varint longer than 5 bytes is
 * malformed. A zero length is an empty message, passed on like any other.
 *
 * <p>Ownership: each body is passed on as a retained slice of the received bytes (not a copy); the next
 * handler owns it and releases it ({@link BitswapMessageDecoder} does).
 *
 * <p>After an error the decoder discards everything that follows: the stream's owner resets it.
 */
public final class BitswapFrameDecoder extends ByteToMessageDecoder {
  /** 5 varint bytes hold 35 bits, more than any allowed length. */
  private static final int MAX_LENGTH_BYTES = 5;

  private final int maxMessageBytes;
  /** The length of the body being awaited, or -1 while the next length prefix is awaited. */
  private int bodyLength = -1;
  private boolean failed;

  /**
   * @param maxMessageBytes the longest body accepted
   * @throws IllegalArgumentException unless 1 to {@value MessageLimits#MAX_MESSAGE_BYTES}
   */
  public BitswapFrameDecoder(int maxMessageBytes) {
    if (maxMessageBytes <= 0 || maxMessageBytes > MessageLimits.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes must be 1 to " + MessageLimits.MAX_MESSAGE_BYTES + ", not "
          + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    // A large message spans many reads: appending them beats copying each into one growing buffer. The
    // body's bytes are copied once anyway, into the blocks' arrays.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (bodyLength < 0) {
      bodyLength = readLength(in);
      if (bodyLength < 0) {
        return;
      }
    }
    if (in.readableBytes() < bodyLength) {
      return;
    }
    out.add(in.readRetainedSlice(bodyLength));
    bodyLength = -1;
  }

  /** @return the length prefix, consumed, or -1 (nothing consumed) if its last byte has not arrived */
  private int readLength(ByteBuf in) {
    int start = in.readerIndex();
    long length;
    try {
      // Not required minimal: go-msgio and js's length-prefixed read the prefix as protobuf does.
      length = Varint.decode(() -> in.isReadable() ? in.readByte() & 0xff : -1, MAX_LENGTH_BYTES, false,
          maxMessageBytes);
    } catch (InvalidVarintException e) {
      throw fail(in, new MalformedMessageException("message length " + e.getMessage()));
    }
    if (length == Varint.INCOMPLETE) {
      in.readerIndex(start);
      return -1;
    }
    if (length > maxMessageBytes) {
      // Over the limit before its last byte (the one read last still has the continuation bit): a bound.
      boolean whole = in.getByte(in.readerIndex() - 1) >= 0;
      throw fail(in, new MessageTooLargeException("message of " + (whole ? "" : "at least ") + length
          + " bytes announced; the limit is " + maxMessageBytes));
    }
    return (int) length;
  }

  private RuntimeException fail(ByteBuf in, RuntimeException e) {
    failed = true;
    in.skipBytes(in.readableBytes());
    return e;
  }
}
