package io.cairn.libp2p.noise.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import org.osgi.service.log.Logger;

/**
 * The secured session: outbound plaintext {@code ByteBuf}s become length-prefixed Noise transport
 * messages, inbound messages (cut by the {@link NoiseFrameDecoder} before it) become plaintext.
 *
 * <p>The JDK's ChaCha20-Poly1305 works on heap arrays in place and copies anything direct into fresh
 * arrays, so both directions work in heap buffers from the channel's allocator: a heap input is
 * encrypted or decrypted straight into the output, a direct one is copied there once and processed in
 * place. A decryption failure or a spent nonce is fatal: it is logged, fired to the next handler as a
 * {@link NoiseException}, and the channel closed.
 */
final class NoiseTransportCodec extends ChannelDuplexHandler {
  static final String NAME = "noise-transport";
  /** Plaintext per message: the protocol's 65535-byte limit less the tag. */
  static final int MAX_PLAINTEXT = HandshakeState.MAX_MESSAGE_LENGTH - CipherState.TAG_LENGTH;
  /** Messages coalesced into one outbound buffer (about 1 MiB), so a huge write is not one huge allocation. */
  static final int FRAMES_PER_BUFFER = 16;

  private static final int TAG = CipherState.TAG_LENGTH;
  private static final int LENGTH_FIELD = NoiseFrameDecoder.LENGTH_FIELD;

  private final CipherState send;
  private final CipherState receive;
  private final Logger log;
  private boolean failed;

  NoiseTransportCodec(CipherState send, CipherState receive, Logger log) {
    this.send = send;
    this.receive = receive;
    this.log = log;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (!failed) {
        ByteBuf plaintext = decrypt(ctx.alloc(), frame);
        if (plaintext.isReadable()) {
          ctx.fireChannelRead(plaintext); // the next handler owns and releases it
        } else {
          plaintext.release(); // an empty message: nothing to pass on
        }
      }
    } catch (NoiseException e) {
      fail(ctx, e);
    } finally {
      frame.release(); // the frame decoder's slice, handed to us
    }
  }

  /** Failures the frame decoder fires (it closes the channel itself): logged here, passed on. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof NoiseException e) {
      failed = true;
      log.info("Noise session with {} ends: {}", ctx.channel().remoteAddress(), e.getMessage());
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf plaintext)) {
      // Anything written past the codec would go out unencrypted.
      ReferenceCountUtil.release(msg);
      promise.setFailure(new UnsupportedMessageTypeException(msg, ByteBuf.class));
      return;
    }
    // Ours from here: released in the finally block once encrypted, or failed.
    try {
      if (!plaintext.isReadable()) {
        ctx.write(Unpooled.EMPTY_BUFFER, promise);
        return;
      }
      PromiseCombiner combiner = null;
      while (plaintext.isReadable()) {
        ByteBuf frames = encrypt(ctx.alloc(), plaintext); // written next: the channel releases it once sent
        if (combiner == null && !plaintext.isReadable()) {
          ctx.write(frames, promise);
        } else {
          if (combiner == null) {
            combiner = new PromiseCombiner(ctx.executor());
          }
          combiner.add(ctx.write(frames));
        }
      }
      if (combiner != null) {
        combiner.finish(promise);
      }
    } catch (NoiseException e) {
      promise.tryFailure(e);
      fail(ctx, e);
    } finally {
      plaintext.release();
    }
  }

  /**
   * Encrypts up to {@link #FRAMES_PER_BUFFER} messages' worth of {@code plaintext}, advancing its reader
   * index, into one new buffer of length-prefixed messages that the caller owns.
   */
  private ByteBuf encrypt(ByteBufAllocator alloc, ByteBuf plaintext) throws NoiseException {
    int length = Math.min(plaintext.readableBytes(), FRAMES_PER_BUFFER * MAX_PLAINTEXT);
    int frames = (length + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
    ByteBuf out = alloc.heapBuffer(length + frames * (LENGTH_FIELD + TAG));
    try {
      for (int left = length; left > 0; ) {
        int chunk = Math.min(left, MAX_PLAINTEXT);
        out.writeShort(chunk + TAG);
        int start = out.writerIndex();
        if (plaintext.hasArray()) {
          send.encrypt(plaintext.nioBuffer(plaintext.readerIndex(), chunk), out.nioBuffer(start, chunk + TAG));
          plaintext.skipBytes(chunk);
        } else {
          out.writeBytes(plaintext, chunk);
          send.encrypt(out.nioBuffer(start, chunk), out.nioBuffer(start, chunk + TAG));
        }
        out.writerIndex(start + chunk + TAG);
        left -= chunk;
      }
      return out;
    } catch (NoiseException | RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Decrypts one message into a new plaintext buffer that the caller owns; {@code frame} stays the caller's. */
  private ByteBuf decrypt(ByteBufAllocator alloc, ByteBuf frame) throws NoiseException {
    int length = frame.readableBytes();
    ByteBuf plaintext = alloc.heapBuffer(length);
    try {
      if (frame.hasArray()) {
        receive.decrypt(frame.nioBuffer(), plaintext.nioBuffer(0, Math.max(length - TAG, 0)));
      } else {
        frame.getBytes(frame.readerIndex(), plaintext, 0, length);
        receive.decrypt(plaintext.nioBuffer(0, length), plaintext.nioBuffer(0, Math.max(length - TAG, 0)));
      }
      plaintext.writerIndex(length - TAG);
      return plaintext;
    } catch (NoiseException | RuntimeException e) {
      plaintext.release();
      throw e;
    }
  }

  private void fail(ChannelHandlerContext ctx, NoiseException e) {
    if (failed) {
      return;
    }
    failed = true;
    log.info("Noise session with {} ends: {}", ctx.channel().remoteAddress(), e.getMessage());
    ctx.fireExceptionCaught(e);
    ctx.close();
  }
}
