package io.cairn.testing.bitswap;

import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.multiformats.PeerId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One node's side of bitswap joined to others in memory, in place of libp2p (which needs hosts and
 * sockets): a message sent to a linked node is handed to that node's receivers on its delivery thread,
 * in order, as the network hands messages over from its event loop; the send completes once delivered.
 */
public final class MemoryNetwork implements BitswapNetwork, AutoCloseable {
  public final PeerId self;
  public final List<BitswapReceiver> receivers = new CopyOnWriteArrayList<>();
  private final Map<PeerId, MemoryNetwork> links = new ConcurrentHashMap<>();
  private final Executor delivery;
  /** The delivery thread this node owns (closed with it), or null when it shares one. */
  private final ExecutorService ownDelivery;

  public MemoryNetwork(PeerId self) {
    this.self = self;
    this.ownDelivery = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("deliver-" + self).unstarted(r));
    this.delivery = ownDelivery;
  }

  /**
   * A node whose messages are handed over on {@code delivery}, which the caller owns and may share between
   * nodes (as a load tool's peers share an event loop); it must run tasks in order.
   */
  public MemoryNetwork(PeerId self, Executor delivery) {
    this.self = self;
    this.ownDelivery = null;
    this.delivery = delivery;
  }

  /** Both nodes' receivers learn of the other, as on a first connection. */
  public static void connect(MemoryNetwork a, MemoryNetwork b) {
    a.links.put(b.self, b);
    b.links.put(a.self, a);
    a.receivers.forEach(r -> r.peerConnected(b.self, BitswapProtocol.V1_2_0));
    b.receivers.forEach(r -> r.peerConnected(a.self, BitswapProtocol.V1_2_0));
  }

  @Override
  public CompletableFuture<Void> send(PeerId peer, BitswapMessage message) {
    MemoryNetwork to = links.get(peer);
    if (to == null) {
      return CompletableFuture.failedFuture(new PeerUnavailableException(peer, "not connected"));
    }
    return CompletableFuture.runAsync(() -> to.receivers.forEach(r -> r.receive(self, message)), to.delivery);
  }

  @Override
  public Set<PeerId> peers() {
    return Set.copyOf(links.keySet());
  }

  @Override
  public Optional<BitswapProtocol> protocol(PeerId peer) {
    return links.containsKey(peer) ? Optional.of(BitswapProtocol.V1_2_0) : Optional.empty();
  }

  @Override
  public void addReceiver(BitswapReceiver receiver) {
    receivers.add(receiver);
    links.keySet().forEach(p -> receiver.peerConnected(p, BitswapProtocol.V1_2_0));
  }

  @Override
  public void removeReceiver(BitswapReceiver receiver) {
    receivers.remove(receiver);
  }

  @Override
  public void disconnect(PeerId peer, String reason) {
    MemoryNetwork other = links.remove(peer);
    if (other != null) {
      other.links.remove(self);
      receivers.forEach(r -> r.peerDisconnected(peer));
      other.receivers.forEach(r -> r.peerDisconnected(self));
    }
  }

  @Override
  public void close() {
    if (ownDelivery != null) {
      ownDelivery.shutdownNow();
    }
  }
}
