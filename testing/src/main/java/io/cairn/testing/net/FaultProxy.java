package io.cairn.testing.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A fault-injecting TCP proxy for tests and benchmarks (the kernel here has no netem): it listens on a
 * port and forwards each accepted connection to one target, each direction shaped by its own
 * {@link Direction}: added one-way delay, a bandwidth cap with a bounded link buffer, stalls, resets
 * (TCP RST, now or after N bytes) and blackholes (silent or stuck). Every setting can change while
 * connections are open. TCP half-close is passed through (a FIN follows the data before it).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort))) {
 *   proxy.both(d -> d.delay(Duration.ofMillis(25)));   // +50 ms RTT
 *   Socket s = new Socket(proxy.address().getAddress(), proxy.port());
 *   ...
 *   proxy.toClient().blackhole(Blackhole.SILENT);
 * }
 * }</pre>
 *
 * <p>From a script, {@link #main} (see {@link #launch} for its options) prints the bound port on its
 * first line of standard output and runs until it is killed.
 */
public final class FaultProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final EventLoopGroup group;
  private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
  private final LongAdder held = new LongAdder();
  private final Direction toTarget = new Direction("to target", this::changed);
  private final Direction toClient = new Direction("to client", this::changed);
  private final Channel server;
  private volatile boolean closed;

  private FaultProxy(InetSocketAddress listen, InetSocketAddress target, int threads) {
    this.target = target;
    this.group = new NioEventLoopGroup(threads);
    try {
      this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.AUTO_READ, false) // until the target is connected, then as the link says
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              accept(ch);
            }
          })
          .bind(listen).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      throw e;
    }
  }

  /** A proxy on a free loopback port to {@code target}, one event-loop thread, no faults yet. */
  public static FaultProxy start(InetSocketAddress target) {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target, 1);
  }

  /**
   * @param listen where to listen (port 0: a free one)
   * @param threads event-loop threads; each connection stays on one
   */
  public static FaultProxy start(InetSocketAddress listen, InetSocketAddress target, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    return new FaultProxy(listen, target, threads);
  }

  /** @return the bound address */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  public InetSocketAddress target() {
    return target;
  }

  /** @return the faults of what clients send to the target */
  public Direction toTarget() {
    return toTarget;
  }

  /** @return the faults of what the target sends back to clients */
  public Direction toClient() {
    return toClient;
  }

  /** Applies {@code change} to both directions (for example a symmetric delay). */
  public FaultProxy both(Consumer<Direction> change) {
    change.accept(toTarget);
    change.accept(toClient);
    return this;
  }

  /** Resets every open connection now (TCP RST to both ends). */
  public void resetAll() {
    for (ProxyConnection c : connections) {
      c.client().eventLoop().execute(c::reset);
    }
  }

  /** @return connections accepted and not yet closed */
  public int openConnections() {
    return connections.size();
  }

  /** @return bytes the links of all open connections hold (waiting for the rate cap or on the delayed wire) */
  public long heldBytes() {
    return held.sum();
  }

  /** Stops listening, closes every connection (dropping what the links held) and stops the event loops. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close().syncUninterruptibly();
    for (ProxyConnection c : connections) {
      c.client().eventLoop().execute(c::close);
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  void forget(ProxyConnection c) {
    connections.remove(c);
  }

  private void accept(SocketChannel client) {
    ProxyConnection c = new ProxyConnection(this, client, held);
    connections.add(c);
    if (closed) {
      c.close();
      return;
    }
    ChannelFuture connected = new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            c.attach(ch);
          }
        })
        .connect(target);
    connected.addListener(f -> {
      if (f.isSuccess()) {
        c.open();
      } else {
        c.close();
      }
    });
  }

  private void changed() {
    for (ProxyConnection c : connections) {
      c.client().eventLoop().execute(c::pump);
    }
  }

  // ---- command line

  /**
   * {@code --target HOST:PORT [--listen HOST:PORT] [--delay-ms N] [--rate-bytes-per-sec R] [--buffer-bytes B] [--threads T]}:
   * delay, rate and buffer apply to each direction (so {@code --delay-ms 25} adds 50 ms of RTT); listen
   * defaults to 127.0.0.1:0, delay to 0, rate to 0 (uncapped), buffer to {@link Direction#DEFAULT_BUFFER_BYTES}.
   *
   * @throws IllegalArgumentException naming the option that is missing, unknown or malformed
   */
  public static FaultProxy launch(String... args) {
    Map<String, String> o = options(args);
    InetSocketAddress target = hostPort("target", required(o, "target"));
    InetSocketAddress listen = hostPort("listen", o.containsKey("listen") ? o.remove("listen") : "127.0.0.1:0");
    long delayMs = number(o, "delay-ms", 0);
    long rate = number(o, "rate-bytes-per-sec", 0);
    long buffer = number(o, "buffer-bytes", Direction.DEFAULT_BUFFER_BYTES);
    long threads = number(o, "threads", 1);
    if (!o.isEmpty()) {
      throw new IllegalArgumentException("unknown option --" + o.keySet().iterator().next()
          + " (options: --target --listen --delay-ms --rate-bytes-per-sec --buffer-bytes --threads)");
    }
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("--threads must be 1 to 64, not " + threads);
    }
    if (delayMs > Direction.MAX_DURATION.toMillis()) {
      throw new IllegalArgumentException("--delay-ms must be at most " + Direction.MAX_DURATION.toMillis() + ", not " + delayMs);
    }
    FaultProxy proxy = start(listen, target, (int) threads);
    try {
      proxy.both(d -> d.delay(Duration.ofMillis(delayMs)).rate(rate).buffer(buffer));
    } catch (IllegalArgumentException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /** Runs {@link #launch}: the bound port on the first line of standard output, the settings on standard error. */
  public static void main(String[] args) throws InterruptedException {
    FaultProxy proxy;
    try {
      proxy = launch(args);
    } catch (IllegalArgumentException e) {
      System.err.println("fault-proxy: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrintStream out = System.out;
    out.println(proxy.port());
    out.flush();
    System.err.println("fault-proxy: " + proxy.address() + " -> " + proxy.target() + "; " + proxy.toTarget() + "; "
        + proxy.toClient());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      proxy.close();
      stopped.countDown();
    }, "fault-proxy-shutdown"));
    stopped.await();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got " + String.join(" ", args));
      }
      if (o.put(args[i].substring(2), args[i + 1]) != null) {
        throw new IllegalArgumentException(args[i] + " given twice");
      }
    }
    return o;
  }

  private static String required(Map<String, String> o, String name) {
    String v = o.remove(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " HOST:PORT is required");
    }
    return v;
  }

  private static long number(Map<String, String> o, String name, long otherwise) {
    String v = o.remove(name);
    if (v == null) {
      return otherwise;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, 0 or more, not " + v);
    }
  }

  private static InetSocketAddress hostPort(String name, String v) {
    int colon = v.lastIndexOf(':');
    String host = colon > 0 ? v.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 0 || port > 65535) {
      throw new IllegalArgumentException("--" + name + " must be HOST:PORT, not " + v);
    }
    return new InetSocketAddress(host, port);
  }
}
