package io.cairn.bench;

import io.cairn.libp2p.Connection;
import io.cairn.libp2p.StreamChannel;
import io.cairn.libp2p.StreamHandler;
import io.cairn.libp2p.internal.StandaloneHost;
import io.cairn.libp2p.noise.internal.StandaloneNoise;
import io.cairn.libp2p.spi.StreamMuxer;
import io.cairn.libp2p.yamux.internal.StandaloneYamux;
import io.cairn.multiformats.Multiaddr;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * libp2p load on loopback, each figure beside its baseline from the same run.
 *
 * <pre>
 * handshakes [seconds] [concurrency]   Noise XX + yamux connections/s, client and server hosts in this JVM
 * idle TARGET count [holdSeconds]       hold count connections to TARGET (a bin/cairn daemon); the script measures its heap
 * throughput [mib]                      MB/s: raw Netty TCP, yamux over TCP (1 and 64 streams), Noise+yamux (1 and 64)
 * yamux [mib] [streams]                 yamux over TCP alone (for profiling)
 * </pre>
 */
public final class Libp2pLoad {
  static final String SINK = "/cairn/bench/sink/1.0.0";
  static final int CHUNK = 64 * 1024;
  /** One read-only chunk every write slices; lives as long as the JVM, so it is never released. */
  private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK)).asReadOnly();

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "throughput";
    switch (mode) {
      case "handshakes" -> handshakes(intArg(args, 1, 20), intArg(args, 2, 64));
      case "idle" -> idle(args[1], intArg(args, 2, 10_000), intArg(args, 3, 60));
      case "throughput" -> throughput(intArg(args, 1, 1024));
      case "yamux" -> System.out.printf("yamux over TCP, %d stream(s): %.0f MB/s%n", intArg(args, 2, 1),
          yamuxOverTcp((long) intArg(args, 1, 1024) << 20, intArg(args, 2, 1)));
      default -> throw new IllegalArgumentException("modes: handshakes, idle, throughput");
    }
    System.exit(0);
  }

  private static int intArg(String[] args, int i, int def) {
    return args.length > i ? Integer.parseInt(args[i]) : def;
  }

  private static StandaloneHost host(int ioThreads) {
    return StandaloneHost.start("/ip4/127.0.0.1/tcp/0", StandaloneNoise::create, StandaloneYamux.create(StandaloneHost.silentLogger()), ioThreads, 1_000_000);
  }

  // --- handshakes ---

  static void handshakes(int seconds, int concurrency) throws Exception {
    try (StandaloneHost server = host(1); StandaloneHost client = host(1)) {
      Multiaddr target = server.host().listenAddresses().get(0); // no /p2p: every dial is a new connection
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
      CountDownLatch finished = new CountDownLatch(concurrency);
      long[] measuredFrom = {0};
      AtomicLong atWarmup = new AtomicLong(-1);
      for (int i = 0; i < concurrency; i++) {
        loop(client, target, end, done, failed, finished);
      }
      while (System.nanoTime() < warmupEnd) {
        Thread.sleep(10);
      }
      atWarmup.set(done.get());
      measuredFrom[0] = System.nanoTime();
      finished.await(seconds + 60L, TimeUnit.SECONDS);
      double elapsed = (System.nanoTime() - measuredFrom[0]) / 1e9;
      long count = done.get() - atWarmup.get();
      System.out.printf("handshakes: %d connections (Noise XX + yamux, connect then close) in %.1f s at concurrency %d: %.0f/s, %d failed%n",
          count, elapsed, concurrency, count / elapsed, failed.get());
    }
  }

  private static void loop(StandaloneHost client, Multiaddr target, long end, AtomicLong done, AtomicLong failed, CountDownLatch finished) {
    if (System.nanoTime() > end) {
      finished.countDown();
      return;
    }
    client.host().connect(target).whenComplete((c, e) -> {
      if (e != null) {
        failed.incrementAndGet();
        loop(client, target, end, done, failed, finished);
        return;
      }
      done.incrementAndGet();
      c.close().whenComplete((v, e2) -> loop(client, target, end, done, failed, finished));
    });
  }

  // --- idle connections ---

  static void idle(String target, int count, int holdSeconds) throws Exception {
    Multiaddr address = Multiaddr.parse(target);
    Multiaddr withoutPeer = Multiaddr.of(address.components().subList(0, address.components().size() - (address.peerId().isPresent() ? 1 : 0)));
    try (StandaloneHost client = host(2)) {
      List<CompletableFuture<Connection>> pending = new ArrayList<>();
      List<Connection> held = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        pending.add(client.host().connect(withoutPeer));
        if (pending.size() == 256) {
          for (CompletableFuture<Connection> f : pending) {
            held.add(f.get(60, TimeUnit.SECONDS));
          }
          pending.clear();
        }
      }
      for (CompletableFuture<Connection> f : pending) {
        held.add(f.get(60, TimeUnit.SECONDS));
      }
      Thread.sleep(2000); // identify both ways settles
      System.out.printf("HOLDING %d connections (opened in %.1f s)%n", held.size(), (System.nanoTime() - start) / 1e9);
      System.out.flush();
      Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
    }
  }

  // --- throughput ---

  /** Counts bytes; completes when the peer closes its side. Owns and releases every buffer it reads. */
  static final class Sink extends ChannelInboundHandlerAdapter {
    final AtomicLong bytes;
    final Runnable onEnd;

    Sink(AtomicLong bytes, Runnable onEnd) {
      this.bytes = bytes;
      this.onEnd = onEnd;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      bytes.addAndGet(b.readableBytes());
      b.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        onEnd.run();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      onEnd.run();
    }
  }

  /** Writes {@code total} bytes from one shared read-only chunk, as fast as writability allows, then calls {@code done}. */
  static void pump(Channel ch, long total, Consumer<Channel> done) {
    long[] sent = {0};
    Runnable step = new Runnable() {
      @Override
      public void run() {
        while (sent[0] < total && ch.isWritable()) {
          int n = (int) Math.min(CHUNK, total - sent[0]);
          sent[0] += n;
          ch.write(ZEROS.retainedSlice(0, n));
        }
        ch.flush();
        if (sent[0] >= total) {
          done.accept(ch);
        }
      }
    };
    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && sent[0] < total) {
          step.run();
        }
        ctx.fireChannelWritabilityChanged();
      }
    });
    ch.eventLoop().execute(step);
  }

  static void throughput(int mib) throws Exception {
    long total = (long) mib * 1024 * 1024;
    System.out.printf("throughput of %d MiB over loopback, MB/s (higher is better)%n", mib);
    double raw = rawTcp(total);
    System.out.printf("  raw Netty TCP (epoll), 1 connection           %8.0f   (baseline)%n", raw);
    for (int streams : new int[] {1, 64}) {
      double y = yamuxOverTcp(total, streams);
      System.out.printf("  yamux over TCP, %2d stream(s)                  %8.0f   %3.0f%% of raw TCP%n", streams, y, 100 * y / raw);
    }
    for (int streams : new int[] {1, 64}) {
      double n = noiseYamux(total, streams);
      System.out.printf("  Noise + yamux (full stack), %2d stream(s)      %8.0f   %3.0f%% of raw TCP%n", streams, n, 100 * n / raw);
    }
  }

  private static double rawTcp(long total) throws Exception {
    EventLoopGroup group = new EpollEventLoopGroup(2);
    try {
      CountDownLatch end = new CountDownLatch(1);
      AtomicLong got = new AtomicLong();
      Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(new Sink(got, end::countDown));
            }
          }).bind("127.0.0.1", 0).sync().channel();
      Channel client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
          .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
      long start = System.nanoTime();
      pump(client, total, ch -> ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ((io.netty.channel.socket.DuplexChannel) ch).shutdownOutput()));
      end.await(300, TimeUnit.SECONDS);
      double mbs = got.get() / 1e6 / ((System.nanoTime() - start) / 1e9);
      client.close().sync();
      server.close().sync();
      return mbs;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static double yamuxOverTcp(long total, int streams) throws Exception {
    EventLoopGroup group = new EpollEventLoopGroup(2);
    StreamMuxer muxer = StandaloneYamux.create(StandaloneHost.silentLogger());
    try {
      CountDownLatch end = new CountDownLatch(streams);
      AtomicLong got = new AtomicLong();
      Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              muxer.start(ch, false, stream -> stream.pipeline().addLast(new Sink(got, end::countDown)));
            }
          }).bind("127.0.0.1", 0).sync().channel();
      Channel client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
          .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
      var session = muxer.start(client, true, stream -> stream.reset());
      long start = System.nanoTime();
      for (int i = 0; i < streams; i++) {
        session.openStream().thenAccept(s -> pump(s, total / streams, ch -> ((StreamChannel) ch).closeWrite()));
      }
      end.await(300, TimeUnit.SECONDS);
      double mbs = got.get() / 1e6 / ((System.nanoTime() - start) / 1e9);
      client.close().sync();
      server.close().sync();
      return mbs;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static double noiseYamux(long total, int streams) throws Exception {
    try (StandaloneHost server = host(1); StandaloneHost client = host(1)) {
      CountDownLatch end = new CountDownLatch(streams);
      AtomicLong got = new AtomicLong();
      StreamHandler sink = (stream, info) -> stream.pipeline().addLast(new Sink(got, end::countDown));
      server.serve(SINK, sink);
      Multiaddr target = server.host().listenAddresses().get(0).withPeerId(server.host().peerId());
      Connection c = client.host().connect(target).get(30, TimeUnit.SECONDS);
      long start = System.nanoTime();
      for (int i = 0; i < streams; i++) {
        c.openStream(List.of(SINK), (stream, info) -> { }).thenAccept(s -> pump(s, total / streams, ch -> ((StreamChannel) ch).closeWrite()));
      }
      end.await(300, TimeUnit.SECONDS);
      return got.get() / 1e6 / ((System.nanoTime() - start) / 1e9);
    }
  }
}
