package io.cairn.itests;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.ProtocolNotSupportedException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One side of the muxer stress (issue 12): rounds of concurrent streams on a connection, as
 * itests/interop/muxer-stress.mjs runs them from js-libp2p. Each round opens, in a shuffled order and
 * all at once, {@code streams} {@value TestProtocols#ECHO} streams of random sizes written in random
 * pieces, {@code refusals} streams for {@value #REFUSED} (which no peer serves: multistream-select
 * answers {@code na}; every other one proposes three such protocols in turn), and {@code resets} echo streams reset after a random part of their data. Every
 * byte echoed back is compared with the byte sent; the first difference is reported with the bytes
 * around it and where else on the connection those bytes were sent.
 */
final class StreamStress {
  static final String REFUSED = "/cairn/refused/1.0.0";
  /** Refused streams alternate between one proposal and three (as bitswap 1.2.0, 1.1.0, 1.0.0 were refused in issue 5). */
  private static final List<List<String>> REFUSALS = List.of(List.of(REFUSED),
      List.of("/cairn/refused/1.2.0", "/cairn/refused/1.1.0", REFUSED));
  private static final int PIECE = 64 * 1024;
  private static final int NEEDLE = 32;

  /** What one round opens per connection. */
  record Settings(int streams, int refusals, int resets, int maxBytes) {}

  /** A round on one connection: streams echoed (reset and refused ones not counted), bytes, and the first mismatch. */
  record Outcome(int streams, long bytes, String mismatch) {}

  private StreamStress() {}

  /** Runs one round on {@code connection}; completes when every stream of it is done. */
  static CompletableFuture<Outcome> round(Connection connection, Settings settings, SplittableRandom random) {
    List<Character> kinds = new ArrayList<>();
    kinds.addAll(Collections.nCopies(settings.streams(), 'e'));
    kinds.addAll(Collections.nCopies(settings.refusals(), 'n'));
    kinds.addAll(Collections.nCopies(settings.resets(), 'r'));
    for (int i = kinds.size() - 1; i > 0; i--) {
      Collections.swap(kinds, i, random.nextInt(i + 1));
    }
    List<EchoClient> echoes = new ArrayList<>();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (char kind : kinds) {
      if (kind == 'n') {
        all.add(refused(connection, REFUSALS.get(random.nextInt(REFUSALS.size()))));
        continue;
      }
      int size = size(random, settings.maxBytes());
      Integer resetAfter = kind == 'r' ? random.nextInt(size + 1) : null;
      EchoClient echo = new EchoClient(size, random.split(), resetAfter);
      echoes.add(echo);
      all.add(connection.openStream(List.of(TestProtocols.ECHO), echo)
          .exceptionally(e -> {
            echo.done.completeExceptionally(e);
            return null;
          })
          .thenCompose(s -> echo.done));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
      int streams = 0;
      long bytes = 0;
      for (EchoClient echo : echoes) {
        if (echo.resetAfter != null) {
          continue;
        }
        streams++;
        bytes += echo.data.length;
        if (echo.mismatch != null) {
          return new Outcome(streams, bytes, echo.mismatch + locate(echo.receivedAtMismatch, echoes));
        }
        if (echo.got != echo.data.length) {
          return new Outcome(streams, bytes, "stream " + echo.streamId + ": sent " + echo.data.length + " bytes, got "
              + echo.got + " back");
        }
      }
      return new Outcome(streams, bytes, null);
    });
  }

  /** Sizes in every regime: empty, a few bytes, within one frame, and past the 256 KiB initial window. */
  private static int size(SplittableRandom random, int maxBytes) {
    double r = random.nextDouble();
    if (r < 0.05) {
      return 0;
    }
    if (r < 0.25) {
      return 1 + random.nextInt(100);
    }
    if (r < 0.6) {
      return 1 + random.nextInt(Math.min(maxBytes, PIECE));
    }
    return 1 + random.nextInt(maxBytes);
  }

  private static CompletableFuture<Void> refused(Connection connection, List<String> protocols) {
    return connection.openStream(protocols, (s, i) -> {}).handle((stream, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof ProtocolNotSupportedException) {
        return null;
      }
      if (stream != null) {
        stream.reset();
      }
      throw new IllegalStateException(protocols + " was not refused with na: " + (cause == null ? "accepted" : cause), cause);
    });
  }

  /** The streams (and offsets) whose data holds {@code needle}: where misdelivered bytes came from. */
  private static String locate(byte[] needle, List<EchoClient> echoes) {
    if (needle == null || needle.length < 8) {
      return "";
    }
    List<String> found = new ArrayList<>();
    for (EchoClient echo : echoes) {
      for (int at = indexOf(echo.data, needle, 0); at >= 0 && found.size() < 8; at = indexOf(echo.data, needle, at + 1)) {
        found.add("stream " + echo.streamId + " (" + echo.data.length + " bytes" + (echo.resetAfter != null ? ", reset" : "")
            + ") at " + at);
      }
    }
    return "; the received bytes were sent " + (found.isEmpty() ? "on no stream of this round" : "on " + found);
  }

  private static int indexOf(byte[] data, byte[] needle, int from) {
    outer:
    for (int i = from; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * The client side of one echo stream. Writes happen on the stream's event loop in pieces of 1 to 64
   * KiB copied into pooled buffers, honouring writability; what comes back is compared as it comes.
   */
  private static final class EchoClient implements StreamHandler {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final byte[] data;
    final Integer resetAfter;
    private final SplittableRandom pieces;
    volatile long streamId = -1;
    volatile int got;
    volatile String mismatch;
    volatile byte[] receivedAtMismatch;

    EchoClient(int size, SplittableRandom random, Integer resetAfter) {
      this.data = new byte[size];
      random.nextBytes(data);
      this.pieces = random.split();
      this.resetAfter = resetAfter;
    }

    @Override
    public void initStream(StreamChannel stream, StreamInfo info) {
      streamId = stream.streamId();
      stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        private int sent;
        private boolean closed;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
          ctx.executor().execute(() -> pump(ctx));
        }

        private void pump(ChannelHandlerContext ctx) {
          int limit = resetAfter != null ? resetAfter : data.length;
          while (sent < limit && ctx.channel().isWritable()) {
            int n = Math.min(limit - sent, 1 + pieces.nextInt(PIECE));
            ctx.write(ctx.alloc().buffer(n).writeBytes(data, sent, n));
            sent += n;
          }
          ctx.flush();
          if (sent == limit && !closed) {
            closed = true;
            if (resetAfter != null) {
              stream.reset();
              done.complete(null);
            } else {
              stream.closeWrite();
            }
          }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
          if (ctx.channel().isWritable()) {
            pump(ctx);
          }
          ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ByteBuf in = (ByteBuf) msg;
          try {
            int n = in.readableBytes();
            if (mismatch == null) {
              // One copy, then an array compare: per-byte reads of a tracked buffer are slow under PARANOID leak detection.
              byte[] chunk = new byte[n];
              in.getBytes(in.readerIndex(), chunk);
              int comparable = Math.min(n, data.length - got); // got <= data.length while nothing differed
              int diff = Arrays.mismatch(chunk, 0, comparable, data, got, got + comparable);
              int at = diff >= 0 ? diff : comparable < n ? comparable : -1; // past the end differs too
              if (at >= 0) {
                byte[] received = Arrays.copyOfRange(chunk, at, Math.min(n, at + NEEDLE));
                receivedAtMismatch = received;
                mismatch = "stream " + streamId + " (" + data.length + " bytes): byte " + (got + at) + " differs (a read of " + n
                    + " bytes from offset " + got + "); expected " + hex(data, got + at) + ", received "
                    + HexFormat.of().formatHex(received);
              }
            }
            got += n;
          } finally {
            in.release();
          }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
          if (evt instanceof ChannelInputShutdownEvent) {
            done.complete(null);
            ctx.close();
          }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
          done.completeExceptionally(new IllegalStateException("stream " + streamId + " (" + data.length
              + " bytes) closed after " + got + " bytes back, before the peer finished"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
          done.completeExceptionally(cause);
          ctx.close();
        }
      });
    }

    private static String hex(byte[] data, int at) {
      return at >= data.length ? "(end)" : HexFormat.of().formatHex(data, at, Math.min(data.length, at + NEEDLE));
    }
  }
}
