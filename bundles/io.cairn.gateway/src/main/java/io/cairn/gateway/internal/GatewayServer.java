package io.cairn.gateway.internal;

import io.cairn.blockstore.BlockService;
import io.cairn.dag.DagService;
import io.cairn.node.config.Configs;
import io.cairn.unixfs.UnixFs;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The trustless gateway's HTTP server: an embedded Netty HTTP/1.1 server of its own (the RPC's Jetty stays
 * on its port, untouched), listening on {@code host:port} from {@value #PID}. Requests are answered on the
 * event loops through chains of futures ({@link GatewayHandler}, {@link Responder}): a request waiting for
 * peers holds no thread. Only UnixFS work, whose reads wait, runs on a bounded pool of its own.
 *
 * <p>Each connection's pipeline: {@link ConnectionLimits} (a share of the connections per client address),
 * the idle timeout, {@link HeaderDeadline} (headers within a deadline), the HTTP codec, {@link GatewayHandler}.
 *
 * <p>Every setting applies while it runs: limits and timeouts to the next connection or request, the UnixFS
 * pool to the next request, and a new host or port rebinds (the new socket is opened before the old one
 * closes; if it cannot be, the old one keeps serving and the failure is logged).
 */
@Component(service = GatewayServer.class, immediate = true, configurationPid = GatewayServer.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GatewayConfig.class)
public final class GatewayServer {
  public static final String PID = "io.cairn.gateway";
  /** Framework property: {@code HOST:PORT} to listen on for this run, over the configured host and port. */
  public static final String ADDRESS_PROPERTY = "cairn.gateway.address";

  private final Logger log;
  private final EventLoopGroup acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-gateway-accept", true));
  private final EventLoopGroup io = new NioEventLoopGroup(0, new DefaultThreadFactory("cairn-gateway-io", true));
  private final Responder responder;
  private final ConnectionLimits connections;
  private final String addressOverride;
  private volatile GatewaySettings settings;
  private volatile UnixFsPool unixfsPool;
  private Channel server;
  /**
   * The UnixFS service, when it runs: content paths and dag-scope=entity need it. Typed {@code Object} so
   * that the gateway loads without the UnixFS package (an optional import): only {@link UnixFsView} casts it.
   */
  @Reference(service = UnixFs.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile Object unixfs;

  @Activate
  public GatewayServer(@Reference BlockService blocks, @Reference DagService dag,
      @Reference(service = LoggerFactory.class) Logger log, GatewayConfig config, BundleContext context)
      throws InterruptedException {
    this.log = log;
    this.addressOverride = context == null ? null : context.getProperty(ADDRESS_PROPERTY);
    this.settings = Configs.validate(PID, config, c -> GatewaySettings.of(c, addressOverride), log)
        .orElseGet(() -> GatewaySettings.of(Configs.defaults(GatewayConfig.class), null));
    this.unixfsPool = new UnixFsPool(settings.unixfsThreads(), settings.maxQueuedUnixfsRequests());
    this.connections = new ConnectionLimits(() -> settings, log);
    this.responder = new Responder(new BlockSource(blocks), dag, () -> unixfs, () -> unixfsPool);
    try {
      server = bind(settings);
    } catch (InterruptedException | RuntimeException e) {
      shutdown();
      throw e;
    }
    log.info("trustless gateway listening on http://{}:{}", settings.host(), port());
  }

  @Modified
  synchronized void modified(GatewayConfig config) throws InterruptedException {
    GatewaySettings next = Configs.validate(PID, config, c -> GatewaySettings.of(c, addressOverride), log).orElse(null);
    if (next == null) {
      return;
    }
    GatewaySettings previous = settings;
    if (previous.needsRebind(next)) {
      Channel rebound;
      try {
        rebound = bind(next);
      } catch (RuntimeException e) {
        log.error("gateway: cannot listen on {}:{} ({}); still serving on {}:{}", next.host(), next.port(), e.toString(),
            previous.host(), port());
        return;
      }
      server.close().sync();
      server = rebound;
      log.info("trustless gateway listening on http://{}:{}", next.host(), port());
    }
    if (previous.needsNewPool(next)) {
      UnixFsPool old = unixfsPool;
      unixfsPool = new UnixFsPool(next.unixfsThreads(), next.maxQueuedUnixfsRequests());
      old.retire();
    }
    settings = next;
  }

  @Deactivate
  synchronized void deactivate() throws InterruptedException {
    server.close().sync();
    shutdown();
  }

  /** The port listened on (the bound one when the configuration says 0). */
  public synchronized int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private void shutdown() {
    unixfsPool.shutdownNow();
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private Channel bind(GatewaySettings s) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(acceptor, io).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            GatewaySettings now = settings;
            HeaderDeadline deadline = new HeaderDeadline(now.headerTimeout());
            ch.pipeline().addLast(connections)
                .addLast(new IdleStateHandler(0, 0, now.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(deadline)
                .addLast(new HttpServerCodec(now.maxRequestLineBytes(), now.maxHeaderBytes(), 64 * 1024))
                .addLast(new GatewayHandler(() -> settings, responder, deadline, log));
          }
        });
    return b.bind(s.host(), s.port()).sync().channel();
  }
}
