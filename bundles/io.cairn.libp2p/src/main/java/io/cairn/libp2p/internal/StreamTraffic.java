package io.cairn.libp2p.internal;

import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamInfo;
import io.cairn.libp2p.TrafficObserver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link TrafficObserver}s bound to the host, and how a negotiated stream is metered for them: a
 * {@link Counter} right behind the multistream negotiator, so it sees the bytes that came with the
 * negotiation's last message and everything after, and every write on its way to the muxer.
 */
final class StreamTraffic {
  /** The negotiator's name in a stream's pipeline ({@link Libp2pConnection}). */
  static final String NEGOTIATOR = "multistream";
  private static final String COUNTER = "traffic";

  private final List<TrafficObserver> observers = new CopyOnWriteArrayList<>();

  void add(TrafficObserver observer) {
    observers.add(observer);
  }

  void remove(TrafficObserver observer) {
    observers.remove(observer);
  }

  /** On the stream's event loop, while its negotiator is still in the pipeline. */
  void meter(StreamChannel stream, StreamInfo info) {
    if (observers.isEmpty()) {
      return;
    }
    List<TrafficObserver.Meter> meters = new ArrayList<>(1);
    for (TrafficObserver observer : observers) {
      TrafficObserver.Meter meter = observer.streamOpened(info);
      if (meter != null) {
        meters.add(meter);
      }
    }
    if (meters.isEmpty()) {
      return;
    }
    Counter counter = new Counter(meters.toArray(TrafficObserver.Meter[]::new));
    if (stream.pipeline().get(NEGOTIATOR) != null) {
      stream.pipeline().addAfter(NEGOTIATOR, COUNTER, counter);
    } else {
      stream.pipeline().addFirst(COUNTER, counter);
    }
  }

  /** Counts payload each way; passes everything on untouched (it owns no buffer). */
  static final class Counter extends ChannelDuplexHandler {
    private final TrafficObserver.Meter[] meters;

    Counter(TrafficObserver.Meter[] meters) {
      this.meters = meters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      int bytes = bytes(msg);
      if (bytes > 0) {
        for (TrafficObserver.Meter m : meters) {
          m.received(bytes);
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      int bytes = bytes(msg);
      if (bytes > 0) {
        for (TrafficObserver.Meter m : meters) {
          m.sent(bytes);
        }
      }
      ctx.write(msg, promise);
    }

    private static int bytes(Object msg) {
      if (msg instanceof ByteBuf buf) {
        return buf.readableBytes();
      }
      return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }
  }
}
