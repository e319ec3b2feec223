package io.cairn.testing.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * One accepted connection and the one the proxy opened to the target for it, with a {@link Link} each
 * way. Confined to the accepted channel's event loop (the target channel is registered on the same one).
 */
final class ProxyConnection {
  private final FaultProxy proxy;
  private final SocketChannel client;
  private final LongAdder held;
  private SocketChannel target;
  private Link toTarget;
  private Link toClient;
  private int outputsShut;
  private boolean closed;

  ProxyConnection(FaultProxy proxy, SocketChannel client, LongAdder held) {
    this.proxy = proxy;
    this.client = client;
    this.held = held;
  }

  Channel client() {
    return client;
  }

  /** The target channel is registered (not yet connected): both links and both pipelines are set up. */
  void attach(SocketChannel target) {
    this.target = target;
    toTarget = new Link(proxy.toTarget(), this, client, target, held);
    toClient = new Link(proxy.toClient(), this, target, client, held);
    client.pipeline().addLast(new LinkIngress(toTarget, this), new DrainOnWritable(toClient));
    target.pipeline().addLast(new LinkIngress(toClient, this), new DrainOnWritable(toTarget));
  }

  /** The target is connected: both sides start being read. */
  void open() {
    if (closed) {
      return;
    }
    if (!client.isActive() || !target.isActive()) {
      close();
      return;
    }
    pump();
  }

  /** Applies changed settings (and an armed reset) to both links. */
  void pump() {
    if (!closed && toTarget != null) {
      toTarget.pump();
      toClient.pump();
    }
  }

  /** One direction has passed its FIN on; when both have, the connection is done. */
  void outputShut() {
    if (++outputsShut == 2) {
      close();
    }
  }

  /** Closes both sides (FIN), dropping what the links held. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    proxy.forget(this);
    if (toTarget != null) {
      toTarget.discard();
      toClient.discard();
    }
    client.close();
    if (target != null) {
      target.close();
    }
  }

  /** Closes both sides with a TCP RST (SO_LINGER 0), dropping what the links held. */
  void reset() {
    if (closed) {
      return;
    }
    abortive(client);
    abortive(target);
    close();
  }

  private static void abortive(SocketChannel channel) {
    if (channel != null && channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
    }
  }
}
