package io.cairn.bitswap.client.internal;

import io.cairn.bitswap.message.BitswapCodec;
import io.cairn.bitswap.message.BitswapMessage;
import io.cairn.bitswap.message.BitswapProtocol;
import io.cairn.bitswap.message.MessageLimits;
import io.cairn.bitswap.spi.BitswapNetwork;
import io.cairn.bitswap.spi.BitswapReceiver;
import io.cairn.bitswap.spi.PeerUnavailableException;
import io.cairn.multiformats.Keys;
import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Bitswap nodes in one JVM, linked without libp2p (boxo's virtual testnet): every message really
 * goes through the codec (encoded, then decoded with the default limits) and is delivered in order
 * on one delivery thread, as a stream would deliver it.
 */
final class VirtualNetwork implements AutoCloseable {
  private final Map<PeerId, Node> nodes = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newSingleThreadExecutor();

  final class Node implements BitswapNetwork {
    final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    final CopyOnWriteArrayList<BitswapReceiver> receivers = new CopyOnWriteArrayList<>();
    final Set<PeerId> links = ConcurrentHashMap.newKeySet();

    @Override
    public CompletableFuture<Void> send(PeerId to, BitswapMessage message) {
      Node target = nodes.get(to);
      if (target == null || !links.contains(to)) {
        return CompletableFuture.failedFuture(new PeerUnavailableException(to, "not connected"));
      }
      BitswapMessage decoded = throughCodec(message);
      return CompletableFuture.runAsync(() -> {
        if (links.contains(to)) {
          target.receivers.forEach(r -> r.receive(peer, decoded));
        }
      }, delivery);
    }

    @Override
    public Set<PeerId> peers() {
      return Set.copyOf(links);
    }

    @Override
    public Optional<BitswapProtocol> protocol(PeerId other) {
      return links.contains(other) ? Optional.of(BitswapProtocol.V1_2_0) : Optional.empty();
    }

    @Override
    public void addReceiver(BitswapReceiver receiver) {
      receivers.add(receiver);
      links.forEach(p -> receiver.peerConnected(p, BitswapProtocol.V1_2_0));
    }

    @Override
    public void removeReceiver(BitswapReceiver receiver) {
      receivers.remove(receiver);
    }

    @Override
    public void disconnect(PeerId other, String reason) {
      unlink(this, nodes.get(other));
    }
  }

  Node node() {
    Node n = new Node();
    nodes.put(n.peer, n);
    return n;
  }

  void link(Node a, Node b) {
    delivery.execute(() -> {
      a.links.add(b.peer);
      b.links.add(a.peer);
      a.receivers.forEach(r -> r.peerConnected(b.peer, BitswapProtocol.V1_2_0));
      b.receivers.forEach(r -> r.peerConnected(a.peer, BitswapProtocol.V1_2_0));
    });
  }

  void unlink(Node a, Node b) {
    delivery.execute(() -> {
      a.links.remove(b.peer);
      b.links.remove(a.peer);
      a.receivers.forEach(r -> r.peerDisconnected(b.peer));
      b.receivers.forEach(r -> r.peerDisconnected(a.peer));
    });
  }

  /** Delivers a message to {@code to} as if {@code from} had sent it (a peer outside the test's nodes). */
  void inject(PeerId from, Node to, BitswapMessage message) {
    BitswapMessage decoded = throughCodec(message);
    delivery.execute(() -> to.receivers.forEach(r -> r.receive(from, decoded)));
  }

  private static BitswapMessage throughCodec(BitswapMessage message) {
    ByteBuf buf = Unpooled.buffer();
    try {
      BitswapCodec.encode(message, BitswapProtocol.V1_2_0, buf);
      long length = Varint.decode(buf.nioBuffer());
      buf.skipBytes(Varint.encodedLength(length));
      return BitswapCodec.decode(buf, MessageLimits.DEFAULT);
    } finally {
      buf.release();
    }
  }

  @Override
  public void close() {
    delivery.shutdownNow();
  }
}
