package io.cairn.itests;

import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The two test protocols itests/interop/peer.mjs also serves: {@value #ECHO} sends every byte back
 * and closes its side when the peer does; {@value #SINK} reads to the end, then answers one JSON line
 * {@code {"bytes":n,"sha256":"hex"}}. Plus the client sides, used against Cairn and js-libp2p alike.
 */
public final class TestProtocols {
  public static final String ECHO = "/cairn/echo/1.0.0";
  public static final String SINK = "/cairn/sink/1.0.0";

  private TestProtocols() {}

  /** Server side of {@value #ECHO}. Each inbound buffer's ownership passes to the write that returns it. */
  public static final StreamHandler ECHO_SERVER = (stream, info) -> stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.flush();
        ((StreamChannel) ctx.channel()).closeWrite();
      }
    }
  });

  /** Server side of {@value #SINK}. */
  public static final StreamHandler SINK_SERVER = (stream, info) -> stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
    private final MessageDigest sha = sha256();
    private long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        bytes += in.readableBytes();
        sha.update(in.nioBuffer());
      } finally {
        in.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        String line = "{\"bytes\":" + bytes + ",\"sha256\":\"" + HexFormat.of().formatHex(sha.digest()) + "\"}\n";
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(line.getBytes(StandardCharsets.UTF_8)))
            .addListener(f -> ((StreamChannel) ctx.channel()).closeWrite());
      }
    }
  });

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Client side of both: sends {@code total} seeded pseudo-random bytes in 64 KiB writes, honouring
   * the stream's writability, closes its write side, and completes with everything read back (for
   * echo: the bytes; for sink: the JSON line) once the peer closes its side.
   */
  public static final class Exchange implements StreamHandler {
    public final CompletableFuture<byte[]> received = new CompletableFuture<>();
    public final MessageDigest sentDigest = sha256();
    private final long total;
    private final long seed;
    private final boolean keepBytes;

    public Exchange(long total, long seed, boolean keepBytes) {
      this.total = total;
      this.seed = seed;
      this.keepBytes = keepBytes;
    }

    @Override
    public void initStream(StreamChannel stream, StreamInfo info) {
      stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        private final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        private final MessageDigest gotDigest = sha256();
        private final Random random = new Random(seed);
        private long sent;
        private boolean writeClosed;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
          ctx.executor().execute(() -> pump(ctx));
        }

        private void pump(ChannelHandlerContext ctx) {
          while (sent < total && ctx.channel().isWritable()) {
            int n = (int) Math.min(64 * 1024, total - sent);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            sentDigest.update(chunk);
            sent += n;
            ctx.write(ctx.alloc().buffer(n).writeBytes(chunk));
          }
          ctx.flush();
          if (sent == total && !writeClosed) {
            writeClosed = true;
            ((StreamChannel) ctx.channel()).closeWrite();
          }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
          if (ctx.channel().isWritable() && sent < total) {
            pump(ctx);
          }
          ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ByteBuf in = (ByteBuf) msg;
          try {
            if (keepBytes) {
              in.getBytes(in.readerIndex(), got, in.readableBytes());
            } else {
              gotDigest.update(in.nioBuffer());
            }
          } catch (java.io.IOException e) {
            received.completeExceptionally(e);
          } finally {
            in.release();
          }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
          if (evt instanceof ChannelInputShutdownEvent) {
            received.complete(keepBytes ? got.toByteArray() : gotDigest.digest());
            ctx.close();
          }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
          received.completeExceptionally(new IllegalStateException("stream closed before the peer finished"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
          received.completeExceptionally(cause);
          ctx.close();
        }
      });
    }
  }
}
