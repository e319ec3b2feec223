package io.cairn.libp2p.internal;

import io.cairn.libp2p.Libp2pException;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.StreamInfo;
import io.cairn.multiformats.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Component;

/**
 * {@code /ipfs/ping/1.0.0}: echoes 32-byte payloads. At most {@value #MAX_STREAMS_PER_PEER} ping
 * streams per peer and {@value #IDLE_SECONDS} s idle, as go-libp2p.
 */
@Component(service = StreamHandler.class, property = StreamHandler.PROTOCOL + "=" + PingProtocol.ID)
public class PingProtocol implements StreamHandler {
  static final String ID = "/ipfs/ping/1.0.0";
  static final int SIZE = 32;
  static final int MAX_STREAMS_PER_PEER = 2;
  static final int IDLE_SECONDS = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<PeerId, AtomicInteger> streamsPerPeer = new ConcurrentHashMap<>();

  @Override
  public void initStream(StreamChannel stream, StreamInfo info) {
    AtomicInteger count = streamsPerPeer.computeIfAbsent(info.remotePeer(), p -> new AtomicInteger());
    if (count.incrementAndGet() > MAX_STREAMS_PER_PEER) {
      count.decrementAndGet();
      stream.reset();
      return;
    }
    stream.closeFuture().addListener(f -> {
      if (count.decrementAndGet() == 0) {
        streamsPerPeer.remove(info.remotePeer(), count);
      }
    });
    stream.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS), new FixedLengthFrameDecoder(SIZE), new Echo());
  }

  /** Sends each 32-byte frame back; the frame's ownership passes to the write. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }

    /** The peer is done pinging (FIN): close our side too, or it counts the stream as still open. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One ping to a connected peer: the time from sending 32 random bytes to reading them back. */
  static CompletableFuture<Duration> ping(HostComponent host, PeerId peer) {
    byte[] payload = new byte[SIZE];
    RANDOM.nextBytes(payload);
    CompletableFuture<Duration> rtt = new CompletableFuture<>();
    long[] sent = new long[1];
    host.newStream(peer, List.of(ID), (stream, info) -> stream.pipeline().addLast(
        new ReadTimeoutHandler(IDLE_SECONDS), new FixedLengthFrameDecoder(SIZE), new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf echo = (ByteBuf) msg;
            try {
              if (ByteBufUtil.equals(echo, io.netty.buffer.Unpooled.wrappedBuffer(payload))) {
                rtt.complete(Duration.ofNanos(System.nanoTime() - sent[0]));
              } else {
                rtt.completeExceptionally(new Libp2pException("ping answer from " + peer + " does not match"));
              }
            } finally {
              echo.release();
            }
            ctx.close();
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            rtt.completeExceptionally(new Libp2pException("ping of " + peer + " failed: " + cause, cause));
            ctx.close();
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            rtt.completeExceptionally(new Libp2pException("ping stream to " + peer + " closed before the answer"));
          }
        }))
        .whenComplete((stream, error) -> {
          if (error != null) {
            rtt.completeExceptionally(error);
            return;
          }
          sent[0] = System.nanoTime();
          stream.writeAndFlush(stream.alloc().buffer(SIZE).writeBytes(payload));
        });
    return rtt.orTimeout(IDLE_SECONDS, TimeUnit.SECONDS);
  }
}
