package io.cairn.libp2p.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Netty's event loops and socket channel classes: native epoll where the platform has it, NIO elsewhere. */
final class TcpTransport implements AutoCloseable {
  final EventLoopGroup acceptor;
  final EventLoopGroup workers;
  final Class<? extends Channel> socketChannel;
  final String kind;
  private final boolean epoll;

  TcpTransport(int ioThreads) {
    int threads = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    epoll = Epoll.isAvailable();
    if (epoll) {
      acceptor = new EpollEventLoopGroup(1, new DefaultThreadFactory("cairn-libp2p-accept", true));
      workers = new EpollEventLoopGroup(threads, new DefaultThreadFactory("cairn-libp2p-io", true));
      socketChannel = EpollSocketChannel.class;
      kind = "epoll";
    } else {
      acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-libp2p-accept", true));
      workers = new NioEventLoopGroup(threads, new DefaultThreadFactory("cairn-libp2p-io", true));
      socketChannel = NioSocketChannel.class;
      kind = "nio (" + Epoll.unavailabilityCause() + ")";
    }
  }

  /** Listening sockets of {@code family}, or of the platform's default family when empty. */
  ChannelFactory<ServerChannel> serverChannel(Optional<InternetProtocolFamily> family) {
    InternetProtocolFamily chosen = family.orElse(null);
    if (epoll) {
      return () -> chosen == null ? new EpollServerSocketChannel() : new EpollServerSocketChannel(chosen);
    }
    return () -> chosen == null ? new NioServerSocketChannel() : new NioServerSocketChannel(SelectorProvider.provider(), chosen);
  }

  @Override
  public void close() {
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
